import{b as Ee,c as Be}from"./chunk-BZ3DU55J.js";import{a as we,b as L,c as ke,d as Se,e as Ie,f as Oe,j as H,l as V,n as De,o as Re}from"./chunk-SHAP5Y2O.js";import{e as Ce}from"./chunk-KDNS7XB7.js";import{$ as W,$a as oe,$b as fe,Ab as s,Ac as be,Ba as x,Bb as l,Ca as ne,Cb as $,Eb as ve,Ec as ze,Ga as ie,Hb as G,Ic as Le,K as Q,Kc as Pe,Lc as P,Ma as u,Mc as Te,Na as f,Nc as T,Oa as _,Oc as A,P as z,Q as U,Qb as O,Ra as re,S as K,Sa as ae,Ta as h,U as p,Ua as i,Uc as Ae,Va as c,W as Z,Wa as d,Wb as he,Wc as E,Xb as ue,Xc as B,Z as J,Zb as ge,Zc as He,_ as X,_a as w,aa as Y,ac as _e,bb as M,bc as ye,cc as xe,db as g,dc as Me,fd as Ve,hb as ce,ia as q,ib as se,ja as C,jb as pe,ka as ee,nb as le,oa as te,ob as k,pb as me,qb as S,rb as m,sa as r,sb as v,tb as I,xb as de,yb as j}from"./chunk-BCD7E3I6.js";var Ke=["determinateSpinner"];function Ze(e,o){if(e&1&&(W(),i(0,"svg",11),d(1,"circle",12),c()),e&2){let t=g();u("viewBox",t._viewBox()),r(),k("stroke-dasharray",t._strokeCircumference(),"px")("stroke-dashoffset",t._strokeCircumference()/2,"px")("stroke-width",t._circleStrokeWidth(),"%"),u("r",t._circleRadius())}}var Je=new K("mat-progress-spinner-default-options",{providedIn:"root",factory:()=>({diameter:Fe})}),Fe=100,Xe=10,Ne=(()=>{class e{_elementRef=p(te);_noopAnimations;get color(){return this._color||this._defaultColor}set color(t){this._color=t}_color;_defaultColor="primary";_determinateCircle;constructor(){let t=p(Je),n=ze(),a=this._elementRef.nativeElement;this._noopAnimations=n==="di-disabled"&&!!t&&!t._forceAnimations,this.mode=a.nodeName.toLowerCase()==="mat-spinner"?"indeterminate":"determinate",!this._noopAnimations&&n==="reduced-motion"&&a.classList.add("mat-progress-spinner-reduced-motion"),t&&(t.color&&(this.color=this._defaultColor=t.color),t.diameter&&(this.diameter=t.diameter),t.strokeWidth&&(this.strokeWidth=t.strokeWidth))}mode;get value(){return this.mode==="determinate"?this._value:0}set value(t){this._value=Math.max(0,Math.min(100,t||0))}_value=0;get diameter(){return this._diameter}set diameter(t){this._diameter=t||0}_diameter=Fe;get strokeWidth(){return this._strokeWidth??this.diameter/10}set strokeWidth(t){this._strokeWidth=t||0}_strokeWidth;_circleRadius(){return(this.diameter-Xe)/2}_viewBox(){let t=this._circleRadius()*2+this.strokeWidth;return`0 0 ${t} ${t}`}_strokeCircumference(){return 2*Math.PI*this._circleRadius()}_strokeDashOffset(){return this.mode==="determinate"?this._strokeCircumference()*(100-this._value)/100:null}_circleStrokeWidth(){return this.strokeWidth/this.diameter*100}static \u0275fac=function(n){return new(n||e)};static \u0275cmp=x({type:e,selectors:[["mat-progress-spinner"],["mat-spinner"]],viewQuery:function(n,a){if(n&1&&ce(Ke,5),n&2){let y;se(y=pe())&&(a._determinateCircle=y.first)}},hostAttrs:["role","progressbar","tabindex","-1",1,"mat-mdc-progress-spinner","mdc-circular-progress"],hostVars:18,hostBindings:function(n,a){n&2&&(u("aria-valuemin",0)("aria-valuemax",100)("aria-valuenow",a.mode==="determinate"?a.value:null)("mode",a.mode),S("mat-"+a.color),k("width",a.diameter,"px")("height",a.diameter,"px")("--mat-progress-spinner-size",a.diameter+"px")("--mat-progress-spinner-active-indicator-width",a.diameter+"px"),me("_mat-animation-noopable",a._noopAnimations)("mdc-circular-progress--indeterminate",a.mode==="indeterminate"))},inputs:{color:"color",mode:"mode",value:[2,"value","value",O],diameter:[2,"diameter","diameter",O],strokeWidth:[2,"strokeWidth","strokeWidth",O]},exportAs:["matProgressSpinner"],decls:14,vars:11,consts:[["circle",""],["determinateSpinner",""],["aria-hidden","true",1,"mdc-circular-progress__determinate-container"],["xmlns","http://www.w3.org/2000/svg","focusable","false",1,"mdc-circular-progress__determinate-circle-graphic"],["cx","50%","cy","50%",1,"mdc-circular-progress__determinate-circle"],["aria-hidden","true",1,"mdc-circular-progress__indeterminate-container"],[1,"mdc-circular-progress__spinner-layer"],[1,"mdc-circular-progress__circle-clipper","mdc-circular-progress__circle-left"],[3,"ngTemplateOutlet"],[1,"mdc-circular-progress__gap-patch"],[1,"mdc-circular-progress__circle-clipper","mdc-circular-progress__circle-right"],["xmlns","http://www.w3.org/2000/svg","focusable","false",1,"mdc-circular-progress__indeterminate-circle-graphic"],["cx","50%","cy","50%"]],template:function(n,a){if(n&1&&(ie(0,Ze,2,8,"ng-template",null,0,ve),i(2,"div",2,1),W(),i(4,"svg",3),d(5,"circle",4),c()(),Y(),i(6,"div",5)(7,"div",6)(8,"div",7),w(9,8),c(),i(10,"div",9),w(11,8),c(),i(12,"div",10),w(13,8),c()()()),n&2){let y=le(1);r(4),u("viewBox",a._viewBox()),r(),k("stroke-dasharray",a._strokeCircumference(),"px")("stroke-dashoffset",a._strokeDashOffset(),"px")("stroke-width",a._circleStrokeWidth(),"%"),u("r",a._circleRadius()),r(4),h("ngTemplateOutlet",y),r(2),h("ngTemplateOutlet",y),r(2),h("ngTemplateOutlet",y)}},dependencies:[he],styles:[`.mat-mdc-progress-spinner {
  --mat-progress-spinner-animation-multiplier: 1;
  display: block;
  overflow: hidden;
  line-height: 0;
  position: relative;
  direction: ltr;
  transition: opacity 250ms cubic-bezier(0.4, 0, 0.6, 1);
}
.mat-mdc-progress-spinner circle {
  stroke-width: var(--mat-progress-spinner-active-indicator-width, 4px);
}
.mat-mdc-progress-spinner._mat-animation-noopable, .mat-mdc-progress-spinner._mat-animation-noopable .mdc-circular-progress__determinate-circle {
  transition: none !important;
}
.mat-mdc-progress-spinner._mat-animation-noopable .mdc-circular-progress__indeterminate-circle-graphic,
.mat-mdc-progress-spinner._mat-animation-noopable .mdc-circular-progress__spinner-layer,
.mat-mdc-progress-spinner._mat-animation-noopable .mdc-circular-progress__indeterminate-container {
  animation: none !important;
}
.mat-mdc-progress-spinner._mat-animation-noopable .mdc-circular-progress__indeterminate-container circle {
  stroke-dasharray: 0 !important;
}
@media (forced-colors: active) {
  .mat-mdc-progress-spinner .mdc-circular-progress__indeterminate-circle-graphic,
  .mat-mdc-progress-spinner .mdc-circular-progress__determinate-circle {
    stroke: currentColor;
    stroke: CanvasText;
  }
}

.mat-progress-spinner-reduced-motion {
  --mat-progress-spinner-animation-multiplier: 1.25;
}

.mdc-circular-progress__determinate-container,
.mdc-circular-progress__indeterminate-circle-graphic,
.mdc-circular-progress__indeterminate-container,
.mdc-circular-progress__spinner-layer {
  position: absolute;
  width: 100%;
  height: 100%;
}

.mdc-circular-progress__determinate-container {
  transform: rotate(-90deg);
}
.mdc-circular-progress--indeterminate .mdc-circular-progress__determinate-container {
  opacity: 0;
}

.mdc-circular-progress__indeterminate-container {
  font-size: 0;
  letter-spacing: 0;
  white-space: nowrap;
  opacity: 0;
}
.mdc-circular-progress--indeterminate .mdc-circular-progress__indeterminate-container {
  opacity: 1;
  animation: mdc-circular-progress-container-rotate calc(1568.2352941176ms * var(--mat-progress-spinner-animation-multiplier)) linear infinite;
}

.mdc-circular-progress__determinate-circle-graphic,
.mdc-circular-progress__indeterminate-circle-graphic {
  fill: transparent;
}

.mat-mdc-progress-spinner .mdc-circular-progress__determinate-circle,
.mat-mdc-progress-spinner .mdc-circular-progress__indeterminate-circle-graphic {
  stroke: var(--mat-progress-spinner-active-indicator-color, var(--mat-sys-primary));
}
@media (forced-colors: active) {
  .mat-mdc-progress-spinner .mdc-circular-progress__determinate-circle,
  .mat-mdc-progress-spinner .mdc-circular-progress__indeterminate-circle-graphic {
    stroke: CanvasText;
  }
}

.mdc-circular-progress__determinate-circle {
  transition: stroke-dashoffset 500ms cubic-bezier(0, 0, 0.2, 1);
}

.mdc-circular-progress__gap-patch {
  position: absolute;
  top: 0;
  left: 47.5%;
  box-sizing: border-box;
  width: 5%;
  height: 100%;
  overflow: hidden;
}

.mdc-circular-progress__gap-patch .mdc-circular-progress__indeterminate-circle-graphic {
  left: -900%;
  width: 2000%;
  transform: rotate(180deg);
}
.mdc-circular-progress__circle-clipper .mdc-circular-progress__indeterminate-circle-graphic {
  width: 200%;
}
.mdc-circular-progress__circle-right .mdc-circular-progress__indeterminate-circle-graphic {
  left: -100%;
}
.mdc-circular-progress--indeterminate .mdc-circular-progress__circle-left .mdc-circular-progress__indeterminate-circle-graphic {
  animation: mdc-circular-progress-left-spin calc(1333ms * var(--mat-progress-spinner-animation-multiplier)) cubic-bezier(0.4, 0, 0.2, 1) infinite both;
}
.mdc-circular-progress--indeterminate .mdc-circular-progress__circle-right .mdc-circular-progress__indeterminate-circle-graphic {
  animation: mdc-circular-progress-right-spin calc(1333ms * var(--mat-progress-spinner-animation-multiplier)) cubic-bezier(0.4, 0, 0.2, 1) infinite both;
}

.mdc-circular-progress__circle-clipper {
  display: inline-flex;
  position: relative;
  width: 50%;
  height: 100%;
  overflow: hidden;
}

.mdc-circular-progress--indeterminate .mdc-circular-progress__spinner-layer {
  animation: mdc-circular-progress-spinner-layer-rotate calc(5332ms * var(--mat-progress-spinner-animation-multiplier)) cubic-bezier(0.4, 0, 0.2, 1) infinite both;
}

@keyframes mdc-circular-progress-container-rotate {
  to {
    transform: rotate(360deg);
  }
}
@keyframes mdc-circular-progress-spinner-layer-rotate {
  12.5% {
    transform: rotate(135deg);
  }
  25% {
    transform: rotate(270deg);
  }
  37.5% {
    transform: rotate(405deg);
  }
  50% {
    transform: rotate(540deg);
  }
  62.5% {
    transform: rotate(675deg);
  }
  75% {
    transform: rotate(810deg);
  }
  87.5% {
    transform: rotate(945deg);
  }
  100% {
    transform: rotate(1080deg);
  }
}
@keyframes mdc-circular-progress-left-spin {
  from {
    transform: rotate(265deg);
  }
  50% {
    transform: rotate(130deg);
  }
  to {
    transform: rotate(265deg);
  }
}
@keyframes mdc-circular-progress-right-spin {
  from {
    transform: rotate(-265deg);
  }
  50% {
    transform: rotate(-130deg);
  }
  to {
    transform: rotate(-265deg);
  }
}
`],encapsulation:2,changeDetection:0})}return e})();var We=(()=>{class e{static \u0275fac=function(n){return new(n||e)};static \u0275mod=ne({type:e});static \u0275inj=U({imports:[be]})}return e})();var nt=(e,o)=>o.dam.id;function it(e,o){e&1&&(i(0,"span",1),m(1),c()),e&2&&(r(),I("\u2014 ",o.name))}function rt(e,o){if(e&1){let t=oe();i(0,"div",2),d(1,"mat-icon",7),i(2,"span"),m(3),s(4,"t"),c(),i(5,"button",8),M("click",function(){J(t);let a=g();return X(a.store.reload())}),d(6,"mat-icon",9),m(7),s(8,"t"),c()()}e&2&&(r(3),v(l(4,2,"overview.loadError")),r(4),I("",l(8,4,"action.retry")," "))}function at(e,o){e&1&&(i(0,"div",3),d(1,"mat-spinner",10),i(2,"span"),m(3),s(4,"t"),c()()),e&2&&(r(3),v(l(4,1,"overview.loading")))}function ot(e,o){e&1&&(i(0,"p",4),m(1),s(2,"t"),c()),e&2&&(r(),v(l(2,1,"overview.empty")))}function ct(e,o){if(e&1&&d(0,"app-dam-card",6),e&2){let t=o.$implicit,n=g();h("view",t)("alarm",n.alarms.worstByDam().get(t.dam.id))("alarmsAvailable",n.alarms.status()==="available")("now",n.clock.now())}}var R=class e{store=p(He);alarms=p(H);clock=p(V);ngOnInit(){this.store.start(),this.alarms.start()}static \u0275fac=function(t){return new(t||e)};static \u0275cmp=x({type:e,selectors:[["app-overview"]],decls:10,vars:5,consts:[[1,"page-title"],[1,"site-name"],["role","alert",1,"notice","error"],["role","status",1,"loading"],[1,"notice"],[1,"cards"],[3,"view","alarm","alarmsAvailable","now"],["svgIcon","error","aria-hidden","true"],["mat-stroked-button","","type","button",3,"click"],["svgIcon","refresh","aria-hidden","true"],["diameter","40","aria-hidden","true"]],template:function(t,n){if(t&1&&(i(0,"h1",0),m(1),s(2,"t"),f(3,it,2,1,"span",1),c(),f(4,rt,9,6,"div",2)(5,at,5,3,"div",3)(6,ot,3,3,"p",4),i(7,"div",5),re(8,ct,1,4,"app-dam-card",6,nt),c()),t&2){let a;r(),I(" ",l(2,3,"overview.title")," "),r(2),_((a=n.store.site())?3:-1,a),r(),_(n.store.error()&&n.store.dams().length===0?4:n.store.loaded()?n.store.dams().length===0?6:-1:5),r(4),ae(n.store.dams())}},dependencies:[Ee,P,Pe,A,T,We,Ne,B],styles:[".site-name[_ngcontent-%COMP%]{color:var(--mat-sys-on-surface-variant);font-weight:400}.cards[_ngcontent-%COMP%]{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,400px),1fr));gap:16px}.loading[_ngcontent-%COMP%]{display:flex;align-items:center;gap:12px;padding:24px 0}@media(min-width:2200px){.cards[_ngcontent-%COMP%]{grid-template-columns:repeat(auto-fill,minmax(520px,1fr))}}"],changeDetection:0})};var je=[{path:"",component:R,title:"nav.overview"},{path:"dams/:id",loadComponent:()=>import("./chunk-MBJA7LZH.js").then(e=>e.DamDetail),title:"nav.dam"},{path:"alarms",loadComponent:()=>import("./chunk-MI2RA5SH.js").then(e=>e.AlarmConsole),title:"nav.alarms"},{path:"timeline",loadComponent:()=>import("./chunk-DMYRC4C3.js").then(e=>e.Timeline),title:"nav.timeline"},{path:"**",redirectTo:""}];var b=class e{denied=C(null);static \u0275fac=function(t){return new(t||e)};static \u0275prov=z({token:e,factory:e.\u0275fac,providedIn:"root"})},st=/\/api\/v1\/(site|sensors)(\/|\?|$)/,$e=(e,o)=>{if(!st.test(e.url))return o(e);let t=p(b);return o(e).pipe(Q({next:()=>{e.method==="GET"&&t.denied()!==null&&t.denied.set(null)},error:n=>{n instanceof ge&&(n.status===401||n.status===403)&&e.method==="GET"&&t.denied.set(n.status)}}))};var Ge={arrow_upward:'<path d="m4 12 1.41 1.41L11 7.83V20h2V7.83l5.58 5.59L20 12l-8-8-8 8z"/>',arrow_downward:'<path d="m20 12-1.41-1.41L13 16.17V4h-2v12.17l-5.58-5.59L4 12l8 8 8-8z"/>',arrow_forward:'<path d="m12 4-1.41 1.41L16.17 11H4v2h12.17l-5.58 5.59L12 20l8-8z"/>',arrow_back:'<path d="M20 11H7.83l5.59-5.59L12 4l-8 8 8 8 1.41-1.41L7.83 13H20v-2z"/>',trending_up:'<path d="m16 6 2.29 2.29-4.88 4.88-4-4L2 16.59 3.41 18l6-6 4 4 6.3-6.29L22 12V6z"/>',trending_down:'<path d="m16 18 2.29-2.29-4.88-4.88-4 4L2 7.41 3.41 6l6 6 4-4 6.3 6.29L22 12v6z"/>',trending_flat:'<path d="m22 12-4-4v3H3v2h15v3z"/>',warning:'<path d="M1 21h22L12 2 1 21zm12-3h-2v-2h2v2zm0-4h-2v-4h2v4z"/>',error:'<path d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm1 15h-2v-2h2v2zm0-4h-2V7h2v6z"/>',check_circle:'<path d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm-2 15-5-5 1.41-1.41L10 14.17l7.59-7.59L19 8l-9 9z"/>',info:'<path d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm1 15h-2v-6h2v6zm0-8h-2V7h2v2z"/>',dark_mode:'<path d="M12 3a9 9 0 1 0 9 9c0-.46-.04-.92-.1-1.36a5.389 5.389 0 0 1-4.4 2.26 5.403 5.403 0 0 1-3.14-9.8c-.44-.06-.9-.1-1.36-.1z"/>',light_mode:'<path d="M12 7c-2.76 0-5 2.24-5 5s2.24 5 5 5 5-2.24 5-5-2.24-5-5-5zM2 13h2c.55 0 1-.45 1-1s-.45-1-1-1H2c-.55 0-1 .45-1 1s.45 1 1 1zm18 0h2c.55 0 1-.45 1-1s-.45-1-1-1h-2c-.55 0-1 .45-1 1s.45 1 1 1zM11 2v2c0 .55.45 1 1 1s1-.45 1-1V2c0-.55-.45-1-1-1s-1 .45-1 1zm0 18v2c0 .55.45 1 1 1s1-.45 1-1v-2c0-.55-.45-1-1-1s-1 .45-1 1zM5.99 4.58a.996.996 0 0 0-1.41 0 .996.996 0 0 0 0 1.41l1.06 1.06c.39.39 1.03.39 1.41 0s.39-1.03 0-1.41L5.99 4.58zm12.37 12.37a.996.996 0 0 0-1.41 0 .996.996 0 0 0 0 1.41l1.06 1.06c.39.39 1.03.39 1.41 0a.996.996 0 0 0 0-1.41l-1.06-1.06zm1.06-10.96a.996.996 0 0 0 0-1.41.996.996 0 0 0-1.41 0l-1.06 1.06c-.39.39-.39 1.03 0 1.41s1.03.39 1.41 0l1.06-1.06zM7.05 18.36a.996.996 0 0 0 0-1.41.996.996 0 0 0-1.41 0l-1.06 1.06c-.39.39-.39 1.03 0 1.41s1.03.39 1.41 0l1.06-1.06z"/>',cloud_off:'<path d="M19.35 10.04A7.49 7.49 0 0 0 12 4c-1.48 0-2.85.43-4.01 1.17l1.46 1.46a5.497 5.497 0 0 1 8.05 4.87v.5H19c1.66 0 3 1.34 3 3 0 1.13-.64 2.11-1.56 2.62l1.45 1.45C23.16 18.16 24 16.68 24 15c0-2.64-2.05-4.78-4.65-4.96zM3 5.27l2.75 2.74C2.56 8.15 0 10.77 0 14c0 3.31 2.69 6 6 6h11.73l2 2L21 20.73 4.27 4 3 5.27zM7.73 10l8 8H6c-2.21 0-4-1.79-4-4s1.79-4 4-4h1.73z"/>',cloud_done:'<path d="M19.35 10.04A7.49 7.49 0 0 0 12 4C9.11 4 6.6 5.64 5.35 8.04A5.994 5.994 0 0 0 0 14c0 3.31 2.69 6 6 6h13c2.76 0 5-2.24 5-5 0-2.64-2.05-4.78-4.65-4.96zM10 17l-3.5-3.5 1.41-1.41L10 14.17 15.18 9l1.41 1.41L10 17z"/>',schedule:'<path d="M11.99 2C6.47 2 2 6.48 2 12s4.47 10 9.99 10C17.52 22 22 17.52 22 12S17.52 2 11.99 2zM12 20c-4.42 0-8-3.58-8-8s3.58-8 8-8 8 3.58 8 8-3.58 8-8 8z"/><path d="M12.5 7H11v6l5.25 3.15.75-1.23-4.5-2.67z"/>',notifications:'<path d="M12 22c1.1 0 2-.9 2-2h-4a2 2 0 0 0 2 2zm6-6v-5c0-3.07-1.64-5.64-4.5-6.32V4c0-.83-.67-1.5-1.5-1.5s-1.5.67-1.5 1.5v.68C7.63 5.36 6 7.92 6 11v5l-2 2v1h16v-1l-2-2z"/>',notifications_active:'<path d="M7.58 4.08 6.15 2.65C3.75 4.48 2.17 7.3 2.03 10.5h2a8.445 8.445 0 0 1 3.55-6.42zm12.39 6.42h2c-.15-3.2-1.73-6.02-4.12-7.85l-1.42 1.43a8.495 8.495 0 0 1 3.54 6.42zM18 11c0-3.07-1.64-5.64-4.5-6.32V4c0-.83-.67-1.5-1.5-1.5s-1.5.67-1.5 1.5v.68C7.63 5.36 6 7.92 6 11v5l-2 2v1h16v-1l-2-2v-5zm-6 11c.14 0 .27-.01.4-.04.65-.14 1.18-.58 1.44-1.18.1-.24.15-.5.15-.78h-4c.01 1.1.9 2 2.01 2z"/>',download:'<path d="M5 20h14v-2H5v2zM19 9h-4V3H9v6H5l7 7 7-7z"/>',check:'<path d="M9 16.17 4.83 12l-1.42 1.41L9 19 21 7l-1.41-1.41z"/>',close:'<path d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"/>',help:'<path d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm1 17h-2v-2h2v2zm2.07-7.75-.9.92C13.45 12.9 13 13.5 13 15h-2v-.5c0-1.1.45-2.1 1.17-2.83l1.24-1.26c.37-.36.59-.86.59-1.41 0-1.1-.9-2-2-2s-2 .9-2 2H8c0-2.21 1.79-4 4-4s4 1.79 4 4c0 .88-.36 1.68-.93 2.25z"/>',water_drop:'<path d="M12 2c-5.33 4.55-8 8.48-8 11.8 0 4.98 3.8 8.2 8 8.2s8-3.22 8-8.2c0-3.32-2.67-7.25-8-11.8zM7.83 14c.37 0 .67.26.74.62.41 2.22 2.28 2.98 3.64 2.87.43-.02.79.32.79.75 0 .4-.32.73-.72.75-2.13.13-4.62-1.09-5.19-4.12a.75.75 0 0 1 .74-.87z"/>',report:'<path d="M15.73 3H8.27L3 8.27v7.46L8.27 21h7.46L21 15.73V8.27L15.73 3zM12 17.3c-.72 0-1.3-.58-1.3-1.3 0-.72.58-1.3 1.3-1.3.72 0 1.3.58 1.3 1.3 0 .72-.58 1.3-1.3 1.3zm1-4.3h-2V7h2v6z"/>',pause:'<path d="M6 19h4V5H6v14zm8-14v14h4V5h-4z"/>',play_arrow:'<path d="M8 5v14l11-7z"/>',comment:'<path d="M21.99 4c0-1.1-.89-2-1.99-2H4c-1.1 0-2 .9-2 2v12c0 1.1.9 2 2 2h14l4 4-.01-18zM18 14H6v-2h12v2zm0-3H6V9h12v2zm0-3H6V6h12v2z"/>',keyboard:'<path d="M20 5H4c-1.1 0-1.99.9-1.99 2L2 17c0 1.1.9 2 2 2h16c1.1 0 2-.9 2-2V7c0-1.1-.9-2-2-2zm-9 3h2v2h-2V8zm0 3h2v2h-2v-2zM8 8h2v2H8V8zm0 3h2v2H8v-2zm-1 2H5v-2h2v2zm0-3H5V8h2v2zm9 7H8v-2h8v2zm0-4h-2v-2h2v2zm0-3h-2V8h2v2zm3 3h-2v-2h2v2zm0-3h-2V8h2v2z"/>',translate:'<path d="m12.87 15.07-2.54-2.51.03-.03A17.52 17.52 0 0 0 14.07 6H17V4h-7V2H8v2H1v1.99h11.17C11.5 7.92 10.44 9.75 9 11.35 8.07 10.32 7.3 9.19 6.69 8h-2c.73 1.63 1.73 3.17 2.98 4.56l-5.09 5.02L4 19l5-5 3.11 3.11.76-2.04zM18.5 10h-2L12 22h2l1.12-3h4.75L21 22h2l-4.5-12zm-2.62 7 1.62-4.33L19.12 17h-3.24z"/>',dashboard:'<path d="M3 13h8V3H3v10zm0 8h8v-6H3v6zm10 0h8V11h-8v10zm0-18v6h8V3h-8z"/>',history:'<path d="M13 3a9 9 0 0 0-9 9H1l3.89 3.89.07.14L9 12H6c0-3.87 3.13-7 7-7s7 3.13 7 7-3.13 7-7 7c-1.93 0-3.68-.79-4.94-2.06l-1.42 1.42A8.954 8.954 0 0 0 13 21a9 9 0 0 0 0-18zm-1 5v5l4.28 2.54.72-1.21-3.5-2.08V8H12z"/>',chevron_right:'<path d="M10 6 8.59 7.41 13.17 12l-4.58 4.59L10 18l6-6z"/>',refresh:'<path d="M17.65 6.35A7.958 7.958 0 0 0 12 4c-4.42 0-7.99 3.58-7.99 8s3.57 8 7.99 8c3.73 0 6.84-2.55 7.73-6h-2.08A5.99 5.99 0 0 1 12 18c-3.31 0-6-2.69-6-6s2.69-6 6-6c1.66 0 3.14.69 4.22 1.78L13 11h7V4l-2.35 2.35z"/>',sensors:'<path d="M7.76 16.24C6.67 15.16 6 13.66 6 12s.67-3.16 1.76-4.24l1.42 1.42C8.45 9.9 8 10.9 8 12c0 1.1.45 2.1 1.17 2.83l-1.41 1.41zm8.48 0C17.33 15.16 18 13.66 18 12s-.67-3.16-1.76-4.24l-1.42 1.42C15.55 9.9 16 10.9 16 12c0 1.1-.45 2.1-1.17 2.83l1.41 1.41zM12 10c-1.1 0-2 .9-2 2s.9 2 2 2 2-.9 2-2-.9-2-2-2zm8 2c0 2.21-.9 4.21-2.35 5.65l1.42 1.42C20.88 17.26 22 14.76 22 12s-1.12-5.26-2.93-7.07l-1.42 1.42A7.94 7.94 0 0 1 20 12zM6.35 6.35 4.93 4.93C3.12 6.74 2 9.24 2 12s1.12 5.26 2.93 7.07l1.42-1.42C4.9 16.21 4 14.21 4 12s.9-4.21 2.35-5.65z"/>',sync:'<path d="M12 4V1L8 5l4 4V6c3.31 0 6 2.69 6 6 0 1.01-.25 1.97-.7 2.8l1.46 1.46A7.93 7.93 0 0 0 20 12c0-4.42-3.58-8-8-8zm0 14c-3.31 0-6-2.69-6-6 0-1.01.25-1.97.7-2.8L5.24 7.74A7.93 7.93 0 0 0 4 12c0 4.42 3.58 8 8 8v3l4-4-4-4v3z"/>',waves:'<path d="M17 16.99c-1.35 0-2.2.42-2.95.8-.65.33-1.18.6-2.05.6-.9 0-1.4-.25-2.05-.6-.75-.38-1.57-.8-2.95-.8s-2.2.42-2.95.8c-.65.33-1.17.6-2.05.6v1.95c1.35 0 2.2-.42 2.95-.8.65-.33 1.17-.6 2.05-.6s1.4.25 2.05.6c.75.38 1.57.8 2.95.8s2.2-.42 2.95-.8c.65-.33 1.18-.6 2.05-.6.9 0 1.4.25 2.05.6.75.38 1.58.8 2.95.8v-1.95c-.9 0-1.4-.25-2.05-.6-.75-.38-1.6-.8-2.95-.8zm0-4.45c-1.35 0-2.2.43-2.95.8-.65.32-1.18.6-2.05.6-.9 0-1.4-.25-2.05-.6-.75-.38-1.57-.8-2.95-.8s-2.2.43-2.95.8c-.65.32-1.17.6-2.05.6v1.95c1.35 0 2.2-.43 2.95-.8.65-.35 1.15-.6 2.05-.6s1.4.25 2.05.6c.75.38 1.57.8 2.95.8s2.2-.43 2.95-.8c.65-.35 1.15-.6 2.05-.6s1.4.25 2.05.6c.75.38 1.58.8 2.95.8v-1.95c-.9 0-1.4-.25-2.05-.6-.75-.38-1.6-.8-2.95-.8zm2.95-8.08c-.75-.38-1.58-.8-2.95-.8s-2.2.42-2.95.8c-.65.32-1.18.6-2.05.6-.9 0-1.4-.25-2.05-.6-.75-.37-1.57-.8-2.95-.8s-2.2.42-2.95.8c-.65.33-1.17.6-2.05.6v1.93c1.35 0 2.2-.43 2.95-.8.65-.33 1.17-.6 2.05-.6s1.4.25 2.05.6c.75.38 1.57.8 2.95.8s2.2-.43 2.95-.8c.65-.32 1.18-.6 2.05-.6.9 0 1.4.25 2.05.6.75.38 1.58.8 2.95.8V5.04c-.9 0-1.4-.25-2.05-.58zM17 8.09c-1.35 0-2.2.43-2.95.8-.65.35-1.15.6-2.05.6s-1.4-.25-2.05-.6c-.75-.38-1.57-.8-2.95-.8s-2.2.43-2.95.8c-.65.35-1.15.6-2.05.6v1.95c1.35 0 2.2-.43 2.95-.8.65-.32 1.18-.6 2.05-.6s1.4.25 2.05.6c.75.38 1.57.8 2.95.8s2.2-.43 2.95-.8c.65-.32 1.18-.6 2.05-.6.9 0 1.4.25 2.05.6.75.38 1.58.8 2.95.8V9.49c-.9 0-1.4-.25-2.05-.6-.75-.38-1.6-.8-2.95-.8z"/>',priority_high:'<circle cx="12" cy="19" r="2"/><path d="M10 3h4v12h-4z"/>',do_not_disturb_on:'<path d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm5 11H7v-2h10v2z"/>',done_all:'<path d="m18 7-1.41-1.41-6.34 6.34 1.41 1.41L18 7zm4.24-1.41L11.66 16.17 7.48 12l-1.41 1.41L11.66 19l12-12-1.42-1.41zM.41 13.41 6 19l1.41-1.41L1.83 12 .41 13.41z"/>',timer:'<path d="M9 1h6v2H9zm10.03 6.39 1.42-1.42c-.43-.51-.9-.99-1.41-1.41l-1.42 1.42A8.962 8.962 0 0 0 12 4a9 9 0 0 0-9 9c0 4.97 4.02 9 9 9a8.994 8.994 0 0 0 7.03-14.61zM13 14h-2V8h2v6z"/>',zoom_out_map:'<path d="m15 3 2.3 2.3-2.89 2.87 1.42 1.42L18.7 6.7 21 9V3h-6zM3 9l2.3-2.3 2.87 2.89 1.42-1.42L6.7 5.3 9 3H3v6zm6 12-2.3-2.3 2.89-2.87-1.42-1.42L5.3 17.3 3 15v6h6zm12-6-2.3 2.3-2.87-2.89-1.42 1.42 2.89 2.87L15 21h6v-6z"/>',filter_list:'<path d="M10 18h4v-2h-4v2zM3 6v2h18V6H3zm3 7h12v-2H6v2z"/>',add:'<path d="M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6v2z"/>',zoom_in:'<path d="M15.5 14h-.79l-.28-.27A6.471 6.471 0 0 0 16 9.5 6.5 6.5 0 1 0 9.5 16c1.61 0 3.09-.59 4.23-1.57l.27.28v.79l5 4.99L20.49 19l-4.99-5zm-6 0C7.01 14 5 11.99 5 9.5S7.01 5 9.5 5 14 7.01 14 9.5 11.99 14 9.5 14z"/><path d="M12 10h-2v2H9v-2H7V9h2V7h1v2h2v1z"/>',zoom_out:'<path d="M15.5 14h-.79l-.28-.27A6.471 6.471 0 0 0 16 9.5 6.5 6.5 0 1 0 9.5 16c1.61 0 3.09-.59 4.23-1.57l.27.28v.79l5 4.99L20.49 19l-4.99-5zm-6 0C7.01 14 5 11.99 5 9.5S7.01 5 9.5 5 14 7.01 14 9.5 11.99 14 9.5 14zM7 9h5v1H7z"/>',expand_more:'<path d="M16.59 8.59 12 13.17 7.41 8.59 6 10l6 6 6-6z"/>',content_copy:'<path d="M16 1H4c-1.1 0-2 .9-2 2v14h2V3h12V1zm3 4H8c-1.1 0-2 .9-2 2v14c0 1.1.9 2 2 2h11c1.1 0 2-.9 2-2V7c0-1.1-.9-2-2-2zm0 16H8V7h11v14z"/>'};function Qe(){return Z(()=>{let e=p(Te),o=p(Me);for(let[t,n]of Object.entries(Ge)){let a=`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fit="" focusable="false">${n}</svg>`;e.addSvgIconLiteral(t,o.bypassSecurityTrustHtml(a))}})}var F=class e extends L{title=p(xe);i18n=p(E);key=C(void 0);constructor(){super(),ee(()=>{let o=this.key(),t=this.i18n.t("app.name");this.title.setTitle(o?`${this.i18n.t(o)} \u2014 ${t}`:t)})}updateTitle(o){this.key.set(this.buildTitle(o))}static \u0275fac=function(t){return new(t||e)};static \u0275prov=z({token:e,factory:e.\u0275fac})};var Ue={providers:[q(),Ie(je,Oe()),fe(ye(),_e([$e])),Qe(),{provide:L,useClass:F},{provide:Ce,useValue:{appearance:"outline",subscriptSizing:"dynamic"}}]};var pt=()=>({exact:!0}),lt=e=>({n:e}),mt=e=>({duration:e});function dt(e,o){if(e&1&&(i(0,"span",15),s(1,"t"),m(2),c()),e&2){let t=g();u("aria-label",$(1,2,"nav.unacked",j(5,lt,t.alarms.unackedCount()))),r(2),v(t.alarms.unackedCount())}}function vt(e,o){if(e&1&&(i(0,"div",18),d(1,"mat-icon",21),i(2,"div")(3,"strong"),m(4),s(5,"t"),c(),i(6,"span"),m(7),s(8,"duration"),s(9,"t"),c()()()),e&2){let t=g();r(4),v(l(5,2,"conn.lostTitle")),r(3),v($(9,6,"conn.lostBody",j(9,mt,l(8,4,t.offlineFor()))))}}function ht(e,o){e&1&&(i(0,"div",19),d(1,"mat-icon",22),i(2,"div")(3,"strong"),m(4),s(5,"t"),c(),i(6,"span"),m(7),s(8,"t"),c()()()),e&2&&(r(4),v(l(5,2,"access.deniedTitle")),r(3),v(l(8,4,o===401?"access.signIn":"access.forbidden")))}var N=class e{live=p(Ae);theme=p(Be);i18n=p(E);clock=p(V);alarms=p(H);access=p(b);statusIcon=G(()=>({online:"cloud_done",connecting:"sync",offline:"cloud_off"})[this.live.status()]);offlineFor=G(()=>{let o=this.live.offlineSince();return o===null?0:Math.max(0,(this.clock.now()-o)/1e3)});constructor(){this.live.start(),this.alarms.start()}static \u0275fac=function(t){return new(t||e)};static \u0275cmp=x({type:e,selectors:[["app-root"]],decls:46,vars:44,consts:[["href","#main",1,"skip-link"],[1,"app-bar"],["routerLink","/",1,"brand"],["svgIcon","water_drop","aria-hidden","true"],["role","status","data-testid","connection",1,"conn"],["aria-hidden","true",3,"svgIcon"],[1,"spacer"],["mat-icon-button","","type","button","data-testid","lang-toggle",1,"bar-button",3,"click","matTooltip"],[1,"lang-code"],["mat-icon-button","","type","button","data-testid","theme-toggle",1,"bar-button",3,"click","matTooltip"],[1,"app-nav"],["routerLink","/","routerLinkActive","active","ariaCurrentWhenActive","page",3,"routerLinkActiveOptions"],["svgIcon","dashboard","aria-hidden","true"],["routerLink","/alarms","routerLinkActive","active","ariaCurrentWhenActive","page","data-testid","nav-alarms"],["svgIcon","notifications","aria-hidden","true"],[1,"count"],["routerLink","/timeline","routerLinkActive","active","ariaCurrentWhenActive","page","data-testid","nav-timeline"],["svgIcon","history","aria-hidden","true"],["role","alert","data-testid","offline-banner",1,"offline-banner"],["role","alert","data-testid","access-banner",1,"offline-banner"],["id","main","tabindex","-1"],["svgIcon","cloud_off","aria-hidden","true"],["svgIcon","error","aria-hidden","true"]],template:function(t,n){if(t&1&&(i(0,"a",0),m(1),s(2,"t"),c(),i(3,"header",1)(4,"a",2),d(5,"mat-icon",3),i(6,"span"),m(7),s(8,"t"),c()(),i(9,"div",4),d(10,"mat-icon",5),i(11,"span"),m(12),s(13,"t"),c()(),d(14,"span",6),i(15,"button",7),s(16,"t"),s(17,"t"),M("click",function(){return n.i18n.toggle()}),i(18,"span",8),m(19),c()(),i(20,"button",9),s(21,"t"),s(22,"t"),M("click",function(){return n.theme.toggle()}),d(23,"mat-icon",5),c()(),i(24,"nav",10),s(25,"t"),i(26,"a",11),d(27,"mat-icon",12),i(28,"span"),m(29),s(30,"t"),c()(),i(31,"a",13),d(32,"mat-icon",14),i(33,"span"),m(34),s(35,"t"),c(),f(36,dt,3,7,"span",15),c(),i(37,"a",16),d(38,"mat-icon",17),i(39,"span"),m(40),s(41,"t"),c()()(),f(42,vt,10,11,"div",18),f(43,ht,9,6,"div",19),i(44,"main",20),d(45,"router-outlet"),c()),t&2){let a;r(),v(l(2,21,"nav.skip")),r(6),v(l(8,23,"app.name")),r(2),S("conn-"+n.live.status()),r(),h("svgIcon",n.statusIcon()),r(2),v(l(13,25,"conn."+n.live.status())),r(3),h("matTooltip",l(16,27,"action.switchLang")),u("aria-label",(n.i18n.lang()==="fr"?"EN":"FR")+" \u2014 "+l(17,29,"action.switchLang")),r(4),v(n.i18n.lang()==="fr"?"EN":"FR"),r(),h("matTooltip",l(21,31,n.theme.mode()==="dark"?"action.lightTheme":"action.darkTheme")),u("aria-label",l(22,33,n.theme.mode()==="dark"?"action.lightTheme":"action.darkTheme"))("aria-pressed",n.theme.mode()==="dark"),r(3),h("svgIcon",n.theme.mode()==="dark"?"light_mode":"dark_mode"),r(),u("aria-label",l(25,35,"nav.label")),r(2),h("routerLinkActiveOptions",de(43,pt)),r(3),v(l(30,37,"nav.overview")),r(5),v(l(35,39,"nav.alarms")),r(2),_(n.alarms.unackedCount()>0?36:-1),r(4),v(l(41,41,"nav.timeline")),r(2),_(n.live.status()==="offline"?42:-1),r(),_((a=n.access.denied())?43:-1,a)}},dependencies:[we,ke,Se,P,Le,A,T,Re,De,B,Ve],styles:["[_nghost-%COMP%]{display:flex;flex-direction:column;min-height:100vh}.skip-link[_ngcontent-%COMP%]{position:absolute;left:8px;top:-100px;z-index:10;padding:12px 16px;background:var(--mat-sys-primary);color:var(--mat-sys-on-primary);border-radius:8px}.skip-link[_ngcontent-%COMP%]:focus{top:8px}.app-bar[_ngcontent-%COMP%]{display:flex;align-items:center;gap:12px;padding:4px 12px;min-height:56px;background:var(--mat-sys-surface-container);color:var(--mat-sys-on-surface);border-bottom:1px solid var(--mat-sys-outline-variant)}.brand[_ngcontent-%COMP%]{display:inline-flex;align-items:center;gap:6px;min-height:48px;font:var(--mat-sys-title-large);font-weight:600;color:inherit;text-decoration:none}.brand[_ngcontent-%COMP%]   mat-icon[_ngcontent-%COMP%]{color:var(--vigie-water-line)}.spacer[_ngcontent-%COMP%]{flex:1}.conn[_ngcontent-%COMP%]{display:inline-flex;align-items:center;gap:4px;padding:4px 10px;border-radius:16px;font:var(--mat-sys-label-large);border:1px solid currentColor}.conn.conn-online[_ngcontent-%COMP%]{color:var(--vigie-ok)}.conn.conn-connecting[_ngcontent-%COMP%]{color:var(--mat-sys-on-surface-variant)}.conn.conn-offline[_ngcontent-%COMP%]{color:var(--vigie-critical);font-weight:700}.bar-button[_ngcontent-%COMP%]{width:48px;height:48px}.lang-code[_ngcontent-%COMP%]{font:var(--mat-sys-label-large);font-weight:700}.app-nav[_ngcontent-%COMP%]{display:flex;gap:4px;padding:0 8px;background:var(--mat-sys-surface-container);border-bottom:1px solid var(--mat-sys-outline-variant);overflow-x:auto}.app-nav[_ngcontent-%COMP%]   a[_ngcontent-%COMP%]{display:inline-flex;align-items:center;gap:6px;min-height:48px;padding:0 16px;color:var(--mat-sys-on-surface-variant);font:var(--mat-sys-title-small);text-decoration:none;border-bottom:3px solid transparent;white-space:nowrap}.app-nav[_ngcontent-%COMP%]   a[_ngcontent-%COMP%]:hover{color:var(--mat-sys-on-surface);background:var(--mat-sys-surface-container-high)}.app-nav[_ngcontent-%COMP%]   a.active[_ngcontent-%COMP%]{color:var(--mat-sys-primary);border-bottom-color:var(--mat-sys-primary);font-weight:700}.count[_ngcontent-%COMP%]{min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:var(--vigie-critical);color:var(--vigie-on-critical);font:var(--mat-sys-label-medium);font-weight:700;display:inline-flex;align-items:center;justify-content:center}.offline-banner[_ngcontent-%COMP%]{display:flex;align-items:center;gap:12px;padding:12px 16px;background:var(--vigie-critical-container);color:var(--vigie-on-critical-container);border-bottom:2px solid var(--vigie-critical);font:var(--mat-sys-body-large)}.offline-banner[_ngcontent-%COMP%]   div[_ngcontent-%COMP%]{display:flex;flex-wrap:wrap;gap:4px 12px}main[_ngcontent-%COMP%]{flex:1;padding:16px;width:100%;box-sizing:border-box;max-width:2560px;margin:0 auto;outline:none}@media(max-width:599px){.app-nav[_ngcontent-%COMP%]{justify-content:space-around;padding:0}.app-nav[_ngcontent-%COMP%]   a[_ngcontent-%COMP%]{flex:1;flex-direction:column;justify-content:center;gap:0;padding:4px 6px;min-height:56px;font:var(--mat-sys-label-medium);position:relative}.count[_ngcontent-%COMP%]{position:absolute;top:2px;right:calc(50% - 26px)}.brand[_ngcontent-%COMP%]   span[_ngcontent-%COMP%]{display:none}main[_ngcontent-%COMP%]{padding:12px 8px}}"],changeDetection:0})};ue(N,Ue).catch(e=>console.error(e));
