import{a as Kt,c as ri}from"./chunk-Y24ZP5SC.js";import{a as $e,b as Qt,d as st,e as Wt,f as Gt,g as ii}from"./chunk-IFEWMNN2.js";import{a as Ye,b as Xe,c as Je}from"./chunk-XMCH2WQC.js";import{b as Yt,c as Ge,e as Ke,f as ai,g as oi,i as me,k as Ze,n as De}from"./chunk-STA5WS4I.js";import{d as we}from"./chunk-L6DS24DF.js";import{c as fi,d as _i}from"./chunk-6N6QXZOF.js";import{a as Ve,b as Ht,f as ze,g as Ue}from"./chunk-M34ZWURO.js";import{b as ni,f as ce,g as Qe,h as We,k as Z,l as de}from"./chunk-K6IXDSC2.js";import{d as Xt,e as Jt,g as ei,j as ti}from"./chunk-MYM6VCU2.js";import{e as Vt}from"./chunk-ERY2OADW.js";import{b as si,f as li,g as ci,h as di,i as mi,j as ui,o as hi,q as pi}from"./chunk-KZY7UMWY.js";import"./chunk-DU44YN5B.js";import{$a as C,$b as te,$c as Lt,A as fe,Aa as r,Ad as qt,Ba as re,Ca as Q,Cb as P,Cd as Zt,Dc as Pe,Dd as qe,Ea as Dt,Eb as m,F as oe,Fa as kt,Fb as g,Fc as Ne,Gb as b,Gc as ot,Hb as Tt,Ic as Le,Ka as F,Kc as Ot,La as W,M as Me,Ma as R,Nb as Fe,O as Ct,Oa as xt,Ob as se,Oc as It,Pa as H,Pb as Be,Qa as ee,Rc as Ft,Sc as Bt,Tc as Pt,Ub as u,Uc as Nt,V as X,Vb as h,Vc as je,W as q,Wb as I,Y as E,Yc as ne,Za as w,_ as c,_a as y,a as T,ad as rt,b as _t,bb as ye,bd as He,cb as V,da as k,db as z,ea as x,eb as D,f as S,fa as vt,fb as s,fc as Et,gb as l,h as pe,ha as O,hb as M,hc as ie,ia as _e,ib as Oe,ic as G,jb as Ce,jd as jt,kb as St,l as gt,la as J,ld as K,ma as Te,mb as B,nb as nt,nd as zt,ob as v,p as yt,pa as A,qa as bt,qb as f,qd as le,ra as ge,rb as at,rd as be,sa as Ee,sb as Ie,tb as Rt,td as Ut,ua as L,ub as ve,ud as $t,v as Re,vb as U,wb as $,yb as At,z as Ae,za as wt,zb as Mt}from"./chunk-IWMYW4T5.js";function ji(i,a){}var Y=class{viewContainerRef;injector;id;role="dialog";panelClass="";hasBackdrop=!0;backdropClass="";disableClose=!1;closePredicate;width="";height="";minWidth;minHeight;maxWidth;maxHeight;positionStrategy;data=null;direction;ariaDescribedBy=null;ariaLabelledBy=null;ariaLabel=null;ariaModal=!1;autoFocus="first-tabbable";restoreFocus=!0;scrollStrategy;closeOnNavigation=!0;closeOnDestroy=!0;closeOnOverlayDetachments=!0;disableAnimations=!1;providers;container;templateContext};var ct=(()=>{class i extends We{_elementRef=c(L);_focusTrapFactory=c(Bt);_config;_interactivityChecker=c(Ft);_ngZone=c(Te);_focusMonitor=c(Le);_renderer=c(Dt);_changeDetectorRef=c(ie);_injector=c(O);_platform=c(Ne);_document=c(_e);_portalOutlet;_focusTrapped=new S;_focusTrap=null;_elementFocusedBeforeDialogWasOpened=null;_closeInteractionType=null;_ariaLabelledByQueue=[];_isDestroyed=!1;constructor(){super(),this._config=c(Y,{optional:!0})||new Y,this._config.ariaLabelledBy&&this._ariaLabelledByQueue.push(this._config.ariaLabelledBy)}_addAriaLabelledBy(e){this._ariaLabelledByQueue.push(e),this._changeDetectorRef.markForCheck()}_removeAriaLabelledBy(e){let t=this._ariaLabelledByQueue.indexOf(e);t>-1&&(this._ariaLabelledByQueue.splice(t,1),this._changeDetectorRef.markForCheck())}_contentAttached(){this._initializeFocusTrap(),this._captureInitialFocus()}_captureInitialFocus(){this._trapFocus()}ngOnDestroy(){this._focusTrapped.complete(),this._isDestroyed=!0,this._restoreFocus()}attachComponentPortal(e){this._portalOutlet.hasAttached();let t=this._portalOutlet.attachComponentPortal(e);return this._contentAttached(),t}attachTemplatePortal(e){this._portalOutlet.hasAttached();let t=this._portalOutlet.attachTemplatePortal(e);return this._contentAttached(),t}attachDomPortal=e=>{this._portalOutlet.hasAttached();let t=this._portalOutlet.attachDomPortal(e);return this._contentAttached(),t};_recaptureFocus(){this._containsFocus()||this._trapFocus()}_forceFocus(e,t){this._interactivityChecker.isFocusable(e)||(e.tabIndex=-1,this._ngZone.runOutsideAngular(()=>{let n=()=>{o(),d(),e.removeAttribute("tabindex")},o=this._renderer.listen(e,"blur",n),d=this._renderer.listen(e,"mousedown",n)})),e.focus(t)}_focusByCssSelector(e,t){let n=this._elementRef.nativeElement.querySelector(e);n&&this._forceFocus(n,t)}_trapFocus(e){this._isDestroyed||re(()=>{let t=this._elementRef.nativeElement;switch(this._config.autoFocus){case!1:case"dialog":this._containsFocus()||t.focus(e);break;case!0:case"first-tabbable":this._focusTrap?.focusInitialElement(e)||this._focusDialogContainer(e);break;case"first-heading":this._focusByCssSelector('h1, h2, h3, h4, h5, h6, [role="heading"]',e);break;default:this._focusByCssSelector(this._config.autoFocus,e);break}this._focusTrapped.next()},{injector:this._injector})}_restoreFocus(){let e=this._config.restoreFocus,t=null;if(typeof e=="string"?t=this._document.querySelector(e):typeof e=="boolean"?t=e?this._elementFocusedBeforeDialogWasOpened:null:e&&(t=e),this._config.restoreFocus&&t&&typeof t.focus=="function"){let n=Pe(),o=this._elementRef.nativeElement;(!n||n===this._document.body||n===o||o.contains(n))&&(this._focusMonitor?(this._focusMonitor.focusVia(t,this._closeInteractionType),this._closeInteractionType=null):t.focus())}this._focusTrap&&this._focusTrap.destroy()}_focusDialogContainer(e){this._elementRef.nativeElement.focus?.(e)}_containsFocus(){let e=this._elementRef.nativeElement,t=Pe();return e===t||e.contains(t)}_initializeFocusTrap(){this._platform.isBrowser&&(this._focusTrap=this._focusTrapFactory.create(this._elementRef.nativeElement),this._document&&(this._elementFocusedBeforeDialogWasOpened=Pe()))}static \u0275fac=function(t){return new(t||i)};static \u0275cmp=F({type:i,selectors:[["cdk-dialog-container"]],viewQuery:function(t,n){if(t&1&&ve(Z,7),t&2){let o;U(o=$())&&(n._portalOutlet=o.first)}},hostAttrs:["tabindex","-1",1,"cdk-dialog-container"],hostVars:6,hostBindings:function(t,n){t&2&&w("id",n._config.id||null)("role",n._config.role)("aria-modal",n._config.ariaModal)("aria-labelledby",n._config.ariaLabel?null:n._ariaLabelledByQueue[0])("aria-label",n._config.ariaLabel)("aria-describedby",n._config.ariaDescribedBy||null)},features:[H],decls:1,vars:0,consts:[["cdkPortalOutlet",""]],template:function(t,n){t&1&&ee(0,ji,0,0,"ng-template",0)},dependencies:[Z],styles:[`.cdk-dialog-container {
  display: block;
  width: 100%;
  height: 100%;
  min-height: inherit;
  max-height: inherit;
}
`],encapsulation:2})}return i})(),ke=class{overlayRef;config;componentInstance=null;componentRef=null;containerInstance;disableClose;closed=new S;backdropClick;keydownEvents;outsidePointerEvents;id;_detachSubscription;constructor(a,e){this.overlayRef=a,this.config=e,this.disableClose=e.disableClose,this.backdropClick=a.backdropClick(),this.keydownEvents=a.keydownEvents(),this.outsidePointerEvents=a.outsidePointerEvents(),this.id=e.id,this.keydownEvents.subscribe(t=>{t.keyCode===27&&!this.disableClose&&!je(t)&&(t.preventDefault(),this.close(void 0,{focusOrigin:"keyboard"}))}),this.backdropClick.subscribe(()=>{!this.disableClose&&this._canClose()?this.close(void 0,{focusOrigin:"mouse"}):this.containerInstance._recaptureFocus?.()}),this._detachSubscription=a.detachments().subscribe(()=>{e.closeOnOverlayDetachments!==!1&&this.close()})}close(a,e){if(this._canClose(a)){let t=this.closed;this.containerInstance._closeInteractionType=e?.focusOrigin||"program",this._detachSubscription.unsubscribe(),this.overlayRef.dispose(),t.next(a),t.complete(),this.componentInstance=this.containerInstance=null}}updatePosition(){return this.overlayRef.updatePosition(),this}updateSize(a="",e=""){return this.overlayRef.updateSize({width:a,height:e}),this}addPanelClass(a){return this.overlayRef.addPanelClass(a),this}removePanelClass(a){return this.overlayRef.removePanelClass(a),this}_canClose(a){let e=this.config;return!!this.containerInstance&&(!e.closePredicate||e.closePredicate(a,e,this.componentInstance))}},Hi=new E("DialogScrollStrategy",{providedIn:"root",factory:()=>{let i=c(O);return()=>Ge(i)}}),Vi=new E("DialogData"),zi=new E("DefaultDialogConfig");function Ui(i){let a=A(i),e=new J;return{valueSignal:a,get value(){return a()},change:e,ngOnDestroy(){e.complete()}}}var dt=(()=>{class i{_injector=c(O);_defaultOptions=c(zi,{optional:!0});_parentDialog=c(i,{optional:!0,skipSelf:!0});_overlayContainer=c(ai);_idGenerator=c(ne);_openDialogsAtThisLevel=[];_afterAllClosedAtThisLevel=new S;_afterOpenedAtThisLevel=new S;_ariaHiddenElements=new Map;_scrollStrategy=c(Hi);get openDialogs(){return this._parentDialog?this._parentDialog.openDialogs:this._openDialogsAtThisLevel}get afterOpened(){return this._parentDialog?this._parentDialog.afterOpened:this._afterOpenedAtThisLevel}afterAllClosed=Re(()=>this.openDialogs.length?this._getAfterAllClosed():this._getAfterAllClosed().pipe(Me(void 0)));constructor(){}open(e,t){let n=this._defaultOptions||new Y;t=T(T({},n),t),t.id=t.id||this._idGenerator.getId("cdk-dialog-"),t.id&&this.getDialogById(t.id);let o=this._getOverlayConfig(t),d=Ze(this._injector,o),p=new ke(d,t),_=this._attachContainer(d,p,t);if(p.containerInstance=_,!this.openDialogs.length){let N=this._overlayContainer.getContainerElement();_._focusTrapped?_._focusTrapped.pipe(oe(1)).subscribe(()=>{this._hideNonDialogContentFromAssistiveTechnology(N)}):this._hideNonDialogContentFromAssistiveTechnology(N)}return this._attachDialogContent(e,p,_,t),this.openDialogs.push(p),p.closed.subscribe(()=>this._removeOpenDialog(p,!0)),this.afterOpened.next(p),p}closeAll(){lt(this.openDialogs,e=>e.close())}getDialogById(e){return this.openDialogs.find(t=>t.id===e)}ngOnDestroy(){lt(this._openDialogsAtThisLevel,e=>{e.config.closeOnDestroy===!1&&this._removeOpenDialog(e,!1)}),lt(this._openDialogsAtThisLevel,e=>e.close()),this._afterAllClosedAtThisLevel.complete(),this._afterOpenedAtThisLevel.complete(),this._openDialogsAtThisLevel=[]}_getOverlayConfig(e){let t=new Ke({positionStrategy:e.positionStrategy||me().centerHorizontally().centerVertically(),scrollStrategy:e.scrollStrategy||this._scrollStrategy(),panelClass:e.panelClass,hasBackdrop:e.hasBackdrop,direction:e.direction,minWidth:e.minWidth,minHeight:e.minHeight,maxWidth:e.maxWidth,maxHeight:e.maxHeight,width:e.width,height:e.height,disposeOnNavigation:e.closeOnNavigation,disableAnimations:e.disableAnimations});return e.backdropClass&&(t.backdropClass=e.backdropClass),t}_attachContainer(e,t,n){let o=n.injector||n.viewContainerRef?.injector,d=[{provide:Y,useValue:n},{provide:ke,useValue:t},{provide:oi,useValue:e}],p;n.container?typeof n.container=="function"?p=n.container:(p=n.container.type,d.push(...n.container.providers(n))):p=ct;let _=new ce(p,n.viewContainerRef,O.create({parent:o||this._injector,providers:d}));return e.attach(_).instance}_attachDialogContent(e,t,n,o){if(e instanceof Q){let d=this._createInjector(o,t,n,void 0),p={$implicit:o.data,dialogRef:t};o.templateContext&&(p=T(T({},p),typeof o.templateContext=="function"?o.templateContext():o.templateContext)),n.attachTemplatePortal(new Qe(e,null,p,d))}else{let d=this._createInjector(o,t,n,this._injector),p=n.attachComponentPortal(new ce(e,o.viewContainerRef,d));t.componentRef=p,t.componentInstance=p.instance}}_createInjector(e,t,n,o){let d=e.injector||e.viewContainerRef?.injector,p=[{provide:Vi,useValue:e.data},{provide:ke,useValue:t}];return e.providers&&(typeof e.providers=="function"?p.push(...e.providers(t,e,n)):p.push(...e.providers)),e.direction&&(!d||!d.get(rt,null,{optional:!0}))&&p.push({provide:rt,useValue:Ui(e.direction)}),O.create({parent:d||o,providers:p})}_removeOpenDialog(e,t){let n=this.openDialogs.indexOf(e);n>-1&&(this.openDialogs.splice(n,1),this.openDialogs.length||(this._ariaHiddenElements.forEach((o,d)=>{o?d.setAttribute("aria-hidden",o):d.removeAttribute("aria-hidden")}),this._ariaHiddenElements.clear(),t&&this._getAfterAllClosed().next()))}_hideNonDialogContentFromAssistiveTechnology(e){if(e.parentElement){let t=e.parentElement.children;for(let n=t.length-1;n>-1;n--){let o=t[n];o!==e&&o.nodeName!=="SCRIPT"&&o.nodeName!=="STYLE"&&!o.hasAttribute("aria-live")&&!o.hasAttribute("popover")&&(this._ariaHiddenElements.set(o,o.getAttribute("aria-hidden")),o.setAttribute("aria-hidden","true"))}}}_getAfterAllClosed(){let e=this._parentDialog;return e?e._getAfterAllClosed():this._afterAllClosedAtThisLevel}static \u0275fac=function(t){return new(t||i)};static \u0275prov=X({token:i,factory:i.\u0275fac,providedIn:"root"})}return i})();function lt(i,a){let e=i.length;for(;e--;)a(i[e])}var yi=(()=>{class i{static \u0275fac=function(t){return new(t||i)};static \u0275mod=W({type:i});static \u0275inj=q({providers:[dt],imports:[De,de,Nt,de]})}return i})();function $i(i,a){}var tt=class{viewContainerRef;injector;id;role="dialog";panelClass="";hasBackdrop=!0;backdropClass="";disableClose=!1;closePredicate;width="";height="";minWidth;minHeight;maxWidth;maxHeight;position;data=null;direction;ariaDescribedBy=null;ariaLabelledBy=null;ariaLabel=null;ariaModal=!1;autoFocus="first-tabbable";restoreFocus=!0;delayFocusTrap=!0;scrollStrategy;closeOnNavigation=!0;enterAnimationDuration;exitAnimationDuration},mt="mdc-dialog--open",Ci="mdc-dialog--opening",vi="mdc-dialog--closing",qi=150,Qi=75,Wi=(()=>{class i extends ct{_animationStateChanged=new J;_animationsEnabled=!K();_actionSectionCount=0;_hostElement=this._elementRef.nativeElement;_enterAnimationDuration=this._animationsEnabled?wi(this._config.enterAnimationDuration)??qi:0;_exitAnimationDuration=this._animationsEnabled?wi(this._config.exitAnimationDuration)??Qi:0;_animationTimer=null;_contentAttached(){super._contentAttached(),this._startOpenAnimation()}_startOpenAnimation(){this._animationStateChanged.emit({state:"opening",totalTime:this._enterAnimationDuration}),this._animationsEnabled?(this._hostElement.style.setProperty(bi,`${this._enterAnimationDuration}ms`),this._requestAnimationFrame(()=>this._hostElement.classList.add(Ci,mt)),this._waitForAnimationToComplete(this._enterAnimationDuration,this._finishDialogOpen)):(this._hostElement.classList.add(mt),Promise.resolve().then(()=>this._finishDialogOpen()))}_startExitAnimation(){this._animationStateChanged.emit({state:"closing",totalTime:this._exitAnimationDuration}),this._hostElement.classList.remove(mt),this._animationsEnabled?(this._hostElement.style.setProperty(bi,`${this._exitAnimationDuration}ms`),this._requestAnimationFrame(()=>this._hostElement.classList.add(vi)),this._waitForAnimationToComplete(this._exitAnimationDuration,this._finishDialogClose)):Promise.resolve().then(()=>this._finishDialogClose())}_updateActionSectionCount(e){this._actionSectionCount+=e,this._changeDetectorRef.markForCheck()}_finishDialogOpen=()=>{this._clearAnimationClasses(),this._openAnimationDone(this._enterAnimationDuration)};_finishDialogClose=()=>{this._clearAnimationClasses(),this._animationStateChanged.emit({state:"closed",totalTime:this._exitAnimationDuration})};_clearAnimationClasses(){this._hostElement.classList.remove(Ci,vi)}_waitForAnimationToComplete(e,t){this._animationTimer!==null&&clearTimeout(this._animationTimer),this._animationTimer=setTimeout(t,e)}_requestAnimationFrame(e){this._ngZone.runOutsideAngular(()=>{typeof requestAnimationFrame=="function"?requestAnimationFrame(e):e()})}_captureInitialFocus(){this._config.delayFocusTrap||this._trapFocus()}_openAnimationDone(e){this._config.delayFocusTrap&&this._trapFocus(),this._animationStateChanged.next({state:"opened",totalTime:e})}ngOnDestroy(){super.ngOnDestroy(),this._animationTimer!==null&&clearTimeout(this._animationTimer)}attachComponentPortal(e){let t=super.attachComponentPortal(e);return t.location.nativeElement.classList.add("mat-mdc-dialog-component-host"),t}static \u0275fac=(()=>{let e;return function(n){return(e||(e=Ee(i)))(n||i)}})();static \u0275cmp=F({type:i,selectors:[["mat-dialog-container"]],hostAttrs:["tabindex","-1",1,"mat-mdc-dialog-container","mdc-dialog"],hostVars:10,hostBindings:function(t,n){t&2&&(nt("id",n._config.id),w("aria-modal",n._config.ariaModal)("role",n._config.role)("aria-labelledby",n._config.ariaLabel?null:n._ariaLabelledByQueue[0])("aria-label",n._config.ariaLabel)("aria-describedby",n._config.ariaDescribedBy||null),P("_mat-animation-noopable",!n._animationsEnabled)("mat-mdc-dialog-container-with-actions",n._actionSectionCount>0))},features:[H],decls:3,vars:0,consts:[[1,"mat-mdc-dialog-inner-container","mdc-dialog__container"],[1,"mat-mdc-dialog-surface","mdc-dialog__surface"],["cdkPortalOutlet",""]],template:function(t,n){t&1&&(s(0,"div",0)(1,"div",1),ee(2,$i,0,0,"ng-template",2),l()())},dependencies:[Z],styles:[`.mat-mdc-dialog-container {
  width: 100%;
  height: 100%;
  display: block;
  box-sizing: border-box;
  max-height: inherit;
  min-height: inherit;
  min-width: inherit;
  max-width: inherit;
  outline: 0;
}

.cdk-overlay-pane.mat-mdc-dialog-panel {
  max-width: var(--mat-dialog-container-max-width, 560px);
  min-width: var(--mat-dialog-container-min-width, 280px);
}
@media (max-width: 599px) {
  .cdk-overlay-pane.mat-mdc-dialog-panel {
    max-width: var(--mat-dialog-container-small-max-width, calc(100vw - 32px));
  }
}

.mat-mdc-dialog-inner-container {
  display: flex;
  flex-direction: row;
  align-items: center;
  justify-content: space-around;
  box-sizing: border-box;
  height: 100%;
  opacity: 0;
  transition: opacity linear var(--mat-dialog-transition-duration, 0ms);
  max-height: inherit;
  min-height: inherit;
  min-width: inherit;
  max-width: inherit;
}
.mdc-dialog--closing .mat-mdc-dialog-inner-container {
  transition: opacity 75ms linear;
  transform: none;
}
.mdc-dialog--open .mat-mdc-dialog-inner-container {
  opacity: 1;
}
._mat-animation-noopable .mat-mdc-dialog-inner-container {
  transition: none;
}

.mat-mdc-dialog-surface {
  display: flex;
  flex-direction: column;
  flex-grow: 0;
  flex-shrink: 0;
  box-sizing: border-box;
  width: 100%;
  height: 100%;
  position: relative;
  overflow-y: auto;
  outline: 0;
  transform: scale(0.8);
  transition: transform var(--mat-dialog-transition-duration, 0ms) cubic-bezier(0, 0, 0.2, 1);
  max-height: inherit;
  min-height: inherit;
  min-width: inherit;
  max-width: inherit;
  box-shadow: var(--mat-dialog-container-elevation-shadow, none);
  border-radius: var(--mat-dialog-container-shape, var(--mat-sys-corner-extra-large, 4px));
  background-color: var(--mat-dialog-container-color, var(--mat-sys-surface, white));
}
[dir=rtl] .mat-mdc-dialog-surface {
  text-align: right;
}
.mdc-dialog--open .mat-mdc-dialog-surface, .mdc-dialog--closing .mat-mdc-dialog-surface {
  transform: none;
}
._mat-animation-noopable .mat-mdc-dialog-surface {
  transition: none;
}
.mat-mdc-dialog-surface::before {
  position: absolute;
  box-sizing: border-box;
  width: 100%;
  height: 100%;
  top: 0;
  left: 0;
  border: 2px solid transparent;
  border-radius: inherit;
  content: "";
  pointer-events: none;
}

.mat-mdc-dialog-title {
  display: block;
  position: relative;
  flex-shrink: 0;
  box-sizing: border-box;
  margin: 0 0 1px;
  padding: var(--mat-dialog-headline-padding, 6px 24px 13px);
}
.mat-mdc-dialog-title::before {
  display: inline-block;
  width: 0;
  height: 40px;
  content: "";
  vertical-align: 0;
}
[dir=rtl] .mat-mdc-dialog-title {
  text-align: right;
}
.mat-mdc-dialog-container .mat-mdc-dialog-title {
  color: var(--mat-dialog-subhead-color, var(--mat-sys-on-surface, rgba(0, 0, 0, 0.87)));
  font-family: var(--mat-dialog-subhead-font, var(--mat-sys-headline-small-font, inherit));
  line-height: var(--mat-dialog-subhead-line-height, var(--mat-sys-headline-small-line-height, 1.5rem));
  font-size: var(--mat-dialog-subhead-size, var(--mat-sys-headline-small-size, 1rem));
  font-weight: var(--mat-dialog-subhead-weight, var(--mat-sys-headline-small-weight, 400));
  letter-spacing: var(--mat-dialog-subhead-tracking, var(--mat-sys-headline-small-tracking, 0.03125em));
}

.mat-mdc-dialog-content {
  display: block;
  flex-grow: 1;
  box-sizing: border-box;
  margin: 0;
  overflow: auto;
  max-height: 65vh;
}
.mat-mdc-dialog-content > :first-child {
  margin-top: 0;
}
.mat-mdc-dialog-content > :last-child {
  margin-bottom: 0;
}
.mat-mdc-dialog-container .mat-mdc-dialog-content {
  color: var(--mat-dialog-supporting-text-color, var(--mat-sys-on-surface-variant, rgba(0, 0, 0, 0.6)));
  font-family: var(--mat-dialog-supporting-text-font, var(--mat-sys-body-medium-font, inherit));
  line-height: var(--mat-dialog-supporting-text-line-height, var(--mat-sys-body-medium-line-height, 1.5rem));
  font-size: var(--mat-dialog-supporting-text-size, var(--mat-sys-body-medium-size, 1rem));
  font-weight: var(--mat-dialog-supporting-text-weight, var(--mat-sys-body-medium-weight, 400));
  letter-spacing: var(--mat-dialog-supporting-text-tracking, var(--mat-sys-body-medium-tracking, 0.03125em));
}
.mat-mdc-dialog-container .mat-mdc-dialog-content {
  padding: var(--mat-dialog-content-padding, 20px 24px);
}
.mat-mdc-dialog-container-with-actions .mat-mdc-dialog-content {
  padding: var(--mat-dialog-with-actions-content-padding, 20px 24px 0);
}
.mat-mdc-dialog-container .mat-mdc-dialog-title + .mat-mdc-dialog-content {
  padding-top: 0;
}

.mat-mdc-dialog-actions {
  display: flex;
  position: relative;
  flex-shrink: 0;
  flex-wrap: wrap;
  align-items: center;
  box-sizing: border-box;
  min-height: 52px;
  margin: 0;
  border-top: 1px solid transparent;
  padding: var(--mat-dialog-actions-padding, 16px 24px);
  justify-content: var(--mat-dialog-actions-alignment, flex-end);
}
@media (forced-colors: active) {
  .mat-mdc-dialog-actions {
    border-top-color: CanvasText;
  }
}
.mat-mdc-dialog-actions.mat-mdc-dialog-actions-align-start, .mat-mdc-dialog-actions[align=start] {
  justify-content: start;
}
.mat-mdc-dialog-actions.mat-mdc-dialog-actions-align-center, .mat-mdc-dialog-actions[align=center] {
  justify-content: center;
}
.mat-mdc-dialog-actions.mat-mdc-dialog-actions-align-end, .mat-mdc-dialog-actions[align=end] {
  justify-content: flex-end;
}
.mat-mdc-dialog-actions .mat-button-base + .mat-button-base,
.mat-mdc-dialog-actions .mat-mdc-button-base + .mat-mdc-button-base {
  margin-left: 8px;
}
[dir=rtl] .mat-mdc-dialog-actions .mat-button-base + .mat-button-base,
[dir=rtl] .mat-mdc-dialog-actions .mat-mdc-button-base + .mat-mdc-button-base {
  margin-left: 0;
  margin-right: 8px;
}

.mat-mdc-dialog-component-host {
  display: contents;
}
`],encapsulation:2})}return i})(),bi="--mat-dialog-transition-duration";function wi(i){return i==null?null:typeof i=="number"?i:i.endsWith("ms")?ot(i.substring(0,i.length-2)):i.endsWith("s")?ot(i.substring(0,i.length-1))*1e3:i==="0"?0:null}var et=(function(i){return i[i.OPEN=0]="OPEN",i[i.CLOSING=1]="CLOSING",i[i.CLOSED=2]="CLOSED",i})(et||{}),ae=class{_ref;_config;_containerInstance;componentInstance;componentRef=null;disableClose;id;_afterOpened=new pe(1);_beforeClosed=new pe(1);_result;_closeFallbackTimeout;_state=et.OPEN;_closeInteractionType;constructor(a,e,t){this._ref=a,this._config=e,this._containerInstance=t,this.disableClose=e.disableClose,this.id=a.id,a.addPanelClass("mat-mdc-dialog-panel"),t._animationStateChanged.pipe(fe(n=>n.state==="opened"),oe(1)).subscribe(()=>{this._afterOpened.next(),this._afterOpened.complete()}),t._animationStateChanged.pipe(fe(n=>n.state==="closed"),oe(1)).subscribe(()=>{clearTimeout(this._closeFallbackTimeout),this._finishDialogClose()}),a.overlayRef.detachments().subscribe(()=>{this._beforeClosed.next(this._result),this._beforeClosed.complete(),this._finishDialogClose()}),Ae(this.backdropClick(),this.keydownEvents().pipe(fe(n=>n.keyCode===27&&!this.disableClose&&!je(n)))).subscribe(n=>{this.disableClose||(n.preventDefault(),Di(this,n.type==="keydown"?"keyboard":"mouse"))})}close(a){let e=this._config.closePredicate;e&&!e(a,this._config,this.componentInstance)||(this._result=a,this._containerInstance._animationStateChanged.pipe(fe(t=>t.state==="closing"),oe(1)).subscribe(t=>{this._beforeClosed.next(a),this._beforeClosed.complete(),this._ref.overlayRef.detachBackdrop(),this._closeFallbackTimeout=setTimeout(()=>this._finishDialogClose(),t.totalTime+100)}),this._state=et.CLOSING,this._containerInstance._startExitAnimation())}afterOpened(){return this._afterOpened}afterClosed(){return this._ref.closed}beforeClosed(){return this._beforeClosed}backdropClick(){return this._ref.backdropClick}keydownEvents(){return this._ref.keydownEvents}updatePosition(a){let e=this._ref.config.positionStrategy;return a&&(a.left||a.right)?a.left?e.left(a.left):e.right(a.right):e.centerHorizontally(),a&&(a.top||a.bottom)?a.top?e.top(a.top):e.bottom(a.bottom):e.centerVertically(),this._ref.updatePosition(),this}updateSize(a="",e=""){return this._ref.updateSize(a,e),this}addPanelClass(a){return this._ref.addPanelClass(a),this}removePanelClass(a){return this._ref.removePanelClass(a),this}getState(){return this._state}_finishDialogClose(){this._state=et.CLOSED,this._ref.close(this._result,{focusOrigin:this._closeInteractionType}),this.componentInstance=null}};function Di(i,a,e){return i._closeInteractionType=a,i.close(e)}var ut=new E("MatMdcDialogData"),Gi=new E("mat-mdc-dialog-default-options"),Ki=new E("mat-mdc-dialog-scroll-strategy",{providedIn:"root",factory:()=>{let i=c(O);return()=>Ge(i)}}),xe=(()=>{class i{_defaultOptions=c(Gi,{optional:!0});_scrollStrategy=c(Ki);_parentDialog=c(i,{optional:!0,skipSelf:!0});_idGenerator=c(ne);_injector=c(O);_dialog=c(dt);_animationsDisabled=K();_openDialogsAtThisLevel=[];_afterAllClosedAtThisLevel=new S;_afterOpenedAtThisLevel=new S;dialogConfigClass=tt;_dialogRefConstructor;_dialogContainerType;_dialogDataToken;get openDialogs(){return this._parentDialog?this._parentDialog.openDialogs:this._openDialogsAtThisLevel}get afterOpened(){return this._parentDialog?this._parentDialog.afterOpened:this._afterOpenedAtThisLevel}_getAfterAllClosed(){let e=this._parentDialog;return e?e._getAfterAllClosed():this._afterAllClosedAtThisLevel}afterAllClosed=Re(()=>this.openDialogs.length?this._getAfterAllClosed():this._getAfterAllClosed().pipe(Me(void 0)));constructor(){this._dialogRefConstructor=ae,this._dialogContainerType=Wi,this._dialogDataToken=ut}open(e,t){let n;t=T(T({},this._defaultOptions||new tt),t),t.id=t.id||this._idGenerator.getId("mat-mdc-dialog-"),t.scrollStrategy=t.scrollStrategy||this._scrollStrategy();let o=this._dialog.open(e,_t(T({},t),{positionStrategy:me(this._injector).centerHorizontally().centerVertically(),disableClose:!0,closePredicate:void 0,closeOnDestroy:!1,closeOnOverlayDetachments:!1,disableAnimations:this._animationsDisabled||t.enterAnimationDuration?.toLocaleString()==="0"||t.exitAnimationDuration?.toString()==="0",container:{type:this._dialogContainerType,providers:()=>[{provide:this.dialogConfigClass,useValue:t},{provide:Y,useValue:t}]},templateContext:()=>({dialogRef:n}),providers:(d,p,_)=>(n=new this._dialogRefConstructor(d,t,_),n.updatePosition(t?.position),[{provide:this._dialogContainerType,useValue:_},{provide:this._dialogDataToken,useValue:p.data},{provide:this._dialogRefConstructor,useValue:n}])}));return n.componentRef=o.componentRef,n.componentInstance=o.componentInstance,this.openDialogs.push(n),this.afterOpened.next(n),n.afterClosed().subscribe(()=>{let d=this.openDialogs.indexOf(n);d>-1&&(this.openDialogs.splice(d,1),this.openDialogs.length||this._getAfterAllClosed().next())}),n}closeAll(){this._closeDialogs(this.openDialogs)}getDialogById(e){return this.openDialogs.find(t=>t.id===e)}ngOnDestroy(){this._closeDialogs(this._openDialogsAtThisLevel),this._afterAllClosedAtThisLevel.complete(),this._afterOpenedAtThisLevel.complete()}_closeDialogs(e){let t=e.length;for(;t--;)e[t].close()}static \u0275fac=function(t){return new(t||i)};static \u0275prov=X({token:i,factory:i.\u0275fac,providedIn:"root"})}return i})(),ki=(()=>{class i{dialogRef=c(ae,{optional:!0});_elementRef=c(L);_dialog=c(xe);ariaLabel;type="button";dialogResult;_matDialogClose;constructor(){}ngOnInit(){this.dialogRef||(this.dialogRef=Mi(this._elementRef,this._dialog.openDialogs))}ngOnChanges(e){let t=e._matDialogClose||e._matDialogCloseResult;t&&(this.dialogResult=t.currentValue)}_onButtonClick(e){Di(this.dialogRef,e.screenX===0&&e.screenY===0?"keyboard":"mouse",this.dialogResult)}static \u0275fac=function(t){return new(t||i)};static \u0275dir=R({type:i,selectors:[["","mat-dialog-close",""],["","matDialogClose",""]],hostVars:2,hostBindings:function(t,n){t&1&&v("click",function(d){return n._onButtonClick(d)}),t&2&&w("aria-label",n.ariaLabel||null)("type",n.type)},inputs:{ariaLabel:[0,"aria-label","ariaLabel"],type:"type",dialogResult:[0,"mat-dialog-close","dialogResult"],_matDialogClose:[0,"matDialogClose","_matDialogClose"]},exportAs:["matDialogClose"],features:[ge]})}return i})(),xi=(()=>{class i{_dialogRef=c(ae,{optional:!0});_elementRef=c(L);_dialog=c(xe);constructor(){}ngOnInit(){this._dialogRef||(this._dialogRef=Mi(this._elementRef,this._dialog.openDialogs)),this._dialogRef&&Promise.resolve().then(()=>{this._onAdd()})}ngOnDestroy(){this._dialogRef?._containerInstance&&Promise.resolve().then(()=>{this._onRemove()})}static \u0275fac=function(t){return new(t||i)};static \u0275dir=R({type:i})}return i})(),Si=(()=>{class i extends xi{id=c(ne).getId("mat-mdc-dialog-title-");_onAdd(){this._dialogRef._containerInstance?._addAriaLabelledBy?.(this.id)}_onRemove(){this._dialogRef?._containerInstance?._removeAriaLabelledBy?.(this.id)}static \u0275fac=(()=>{let e;return function(n){return(e||(e=Ee(i)))(n||i)}})();static \u0275dir=R({type:i,selectors:[["","mat-dialog-title",""],["","matDialogTitle",""]],hostAttrs:[1,"mat-mdc-dialog-title","mdc-dialog__title"],hostVars:1,hostBindings:function(t,n){t&2&&nt("id",n.id)},inputs:{id:"id"},exportAs:["matDialogTitle"],features:[H]})}return i})(),Ri=(()=>{class i{static \u0275fac=function(t){return new(t||i)};static \u0275dir=R({type:i,selectors:[["","mat-dialog-content",""],["mat-dialog-content"],["","matDialogContent",""]],hostAttrs:[1,"mat-mdc-dialog-content","mdc-dialog__content"],features:[xt([ni])]})}return i})(),Ai=(()=>{class i extends xi{align;_onAdd(){this._dialogRef._containerInstance?._updateActionSectionCount?.(1)}_onRemove(){this._dialogRef._containerInstance?._updateActionSectionCount?.(-1)}static \u0275fac=(()=>{let e;return function(n){return(e||(e=Ee(i)))(n||i)}})();static \u0275dir=R({type:i,selectors:[["","mat-dialog-actions",""],["mat-dialog-actions"],["","matDialogActions",""]],hostAttrs:[1,"mat-mdc-dialog-actions","mdc-dialog__actions"],hostVars:6,hostBindings:function(t,n){t&2&&P("mat-mdc-dialog-actions-align-start",n.align==="start")("mat-mdc-dialog-actions-align-center",n.align==="center")("mat-mdc-dialog-actions-align-end",n.align==="end")},inputs:{align:"align"},features:[H]})}return i})();function Mi(i,a){let e=i.nativeElement.parentElement;for(;e&&!e.classList.contains("mat-mdc-dialog-container");)e=e.parentElement;return e?a.find(t=>t.id===e.id):null}var Ti=(()=>{class i{static \u0275fac=function(t){return new(t||i)};static \u0275mod=W({type:i});static \u0275inj=q({providers:[xe],imports:[yi,De,de,He]})}return i})();function Yi(i,a){if(i&1){let e=B();s(0,"div",1)(1,"button",2),v("click",function(){k(e);let n=f();return x(n.action())}),m(2),l()()}if(i&2){let e=f();r(2),b(" ",e.data.action," ")}}var Xi=["label"];function Ji(i,a){}var en=Math.pow(2,31)-1,Se=class{_overlayRef;instance;containerInstance;_afterDismissed=new S;_afterOpened=new S;_onAction=new S;_durationTimeoutId;_dismissedByAction=!1;constructor(a,e){this._overlayRef=e,this.containerInstance=a,a._onExit.subscribe(()=>this._finishDismiss())}dismiss(){this._afterDismissed.closed||this.containerInstance.exit(),clearTimeout(this._durationTimeoutId)}dismissWithAction(){this._onAction.closed||(this._dismissedByAction=!0,this._onAction.next(),this._onAction.complete(),this.dismiss()),clearTimeout(this._durationTimeoutId)}closeWithAction(){this.dismissWithAction()}_dismissAfter(a){this._durationTimeoutId=setTimeout(()=>this.dismiss(),Math.min(a,en))}_open(){this._afterOpened.closed||(this._afterOpened.next(),this._afterOpened.complete())}_finishDismiss(){this._overlayRef.dispose(),this._onAction.closed||this._onAction.complete(),this._afterDismissed.next({dismissedByAction:this._dismissedByAction}),this._afterDismissed.complete(),this._dismissedByAction=!1}afterDismissed(){return this._afterDismissed}afterOpened(){return this.containerInstance._onEnter}onAction(){return this._onAction}},Ei=new E("MatSnackBarData"),he=class{politeness="polite";announcementMessage="";viewContainerRef;duration=0;panelClass;direction;data=null;horizontalPosition="center";verticalPosition="bottom"},tn=(()=>{class i{static \u0275fac=function(t){return new(t||i)};static \u0275dir=R({type:i,selectors:[["","matSnackBarLabel",""]],hostAttrs:[1,"mat-mdc-snack-bar-label","mdc-snackbar__label"]})}return i})(),nn=(()=>{class i{static \u0275fac=function(t){return new(t||i)};static \u0275dir=R({type:i,selectors:[["","matSnackBarActions",""]],hostAttrs:[1,"mat-mdc-snack-bar-actions","mdc-snackbar__actions"]})}return i})(),an=(()=>{class i{static \u0275fac=function(t){return new(t||i)};static \u0275dir=R({type:i,selectors:[["","matSnackBarAction",""]],hostAttrs:[1,"mat-mdc-snack-bar-action","mdc-snackbar__action"]})}return i})(),on=(()=>{class i{snackBarRef=c(Se);data=c(Ei);constructor(){}action(){this.snackBarRef.dismissWithAction()}get hasAction(){return!!this.data.action}static \u0275fac=function(t){return new(t||i)};static \u0275cmp=F({type:i,selectors:[["simple-snack-bar"]],hostAttrs:[1,"mat-mdc-simple-snack-bar"],exportAs:["matSnackBar"],decls:3,vars:2,consts:[["matSnackBarLabel",""],["matSnackBarActions",""],["matButton","","matSnackBarAction","",3,"click"]],template:function(t,n){t&1&&(s(0,"div",0),m(1),l(),y(2,Yi,3,1,"div",1)),t&2&&(r(),b(" ",n.data.message,`
`),r(),C(n.hasAction?2:-1))},dependencies:[le,tn,nn,an],styles:[`.mat-mdc-simple-snack-bar {
  display: flex;
}
.mat-mdc-simple-snack-bar .mat-mdc-snack-bar-label {
  max-height: 50vh;
  overflow: auto;
}
`],encapsulation:2,changeDetection:0})}return i})(),ht="_mat-snack-bar-enter",pt="_mat-snack-bar-exit",rn=(()=>{class i extends We{_ngZone=c(Te);_elementRef=c(L);_changeDetectorRef=c(ie);_platform=c(Ne);_animationsDisabled=K();snackBarConfig=c(he);_document=c(_e);_trackedModals=new Set;_enterFallback;_exitFallback;_injector=c(O);_announceDelay=150;_announceTimeoutId;_destroyed=!1;_portalOutlet;_onAnnounce=new S;_onExit=new S;_onEnter=new S;_animationState="void";_live;_label;_role;_liveElementId=c(ne).getId("mat-snack-bar-container-live-");constructor(){super();let e=this.snackBarConfig;e.politeness==="assertive"&&!e.announcementMessage?this._live="assertive":e.politeness==="off"?this._live="off":this._live="polite",this._platform.FIREFOX&&(this._live==="polite"&&(this._role="status"),this._live==="assertive"&&(this._role="alert"))}attachComponentPortal(e){this._assertNotAttached();let t=this._portalOutlet.attachComponentPortal(e);return this._afterPortalAttached(),t}attachTemplatePortal(e){this._assertNotAttached();let t=this._portalOutlet.attachTemplatePortal(e);return this._afterPortalAttached(),t}attachDomPortal=e=>{this._assertNotAttached();let t=this._portalOutlet.attachDomPortal(e);return this._afterPortalAttached(),t};onAnimationEnd(e){e===pt?this._completeExit():e===ht&&(clearTimeout(this._enterFallback),this._ngZone.run(()=>{this._onEnter.next(),this._onEnter.complete()}))}enter(){this._destroyed||(this._animationState="visible",this._changeDetectorRef.markForCheck(),this._changeDetectorRef.detectChanges(),this._screenReaderAnnounce(),this._animationsDisabled?re(()=>{this._ngZone.run(()=>queueMicrotask(()=>this.onAnimationEnd(ht)))},{injector:this._injector}):(clearTimeout(this._enterFallback),this._enterFallback=setTimeout(()=>{this._elementRef.nativeElement.classList.add("mat-snack-bar-fallback-visible"),this.onAnimationEnd(ht)},200)))}exit(){return this._destroyed?gt(void 0):(this._ngZone.run(()=>{this._animationState="hidden",this._changeDetectorRef.markForCheck(),this._elementRef.nativeElement.setAttribute("mat-exit",""),clearTimeout(this._announceTimeoutId),this._animationsDisabled?re(()=>{this._ngZone.run(()=>queueMicrotask(()=>this.onAnimationEnd(pt)))},{injector:this._injector}):(clearTimeout(this._exitFallback),this._exitFallback=setTimeout(()=>this.onAnimationEnd(pt),200))}),this._onExit)}ngOnDestroy(){this._destroyed=!0,this._clearFromModals(),this._completeExit()}_completeExit(){clearTimeout(this._exitFallback),queueMicrotask(()=>{this._onExit.next(),this._onExit.complete()})}_afterPortalAttached(){let e=this._elementRef.nativeElement,t=this.snackBarConfig.panelClass;t&&(Array.isArray(t)?t.forEach(d=>e.classList.add(d)):e.classList.add(t)),this._exposeToModals();let n=this._label.nativeElement,o="mdc-snackbar__label";n.classList.toggle(o,!n.querySelector(`.${o}`))}_exposeToModals(){let e=this._liveElementId,t=this._document.querySelectorAll('body > .cdk-overlay-container [aria-modal="true"]');for(let n=0;n<t.length;n++){let o=t[n],d=o.getAttribute("aria-owns");this._trackedModals.add(o),d?d.indexOf(e)===-1&&o.setAttribute("aria-owns",d+" "+e):o.setAttribute("aria-owns",e)}}_clearFromModals(){this._trackedModals.forEach(e=>{let t=e.getAttribute("aria-owns");if(t){let n=t.replace(this._liveElementId,"").trim();n.length>0?e.setAttribute("aria-owns",n):e.removeAttribute("aria-owns")}}),this._trackedModals.clear()}_assertNotAttached(){this._portalOutlet.hasAttached()}_screenReaderAnnounce(){this._announceTimeoutId||this._ngZone.runOutsideAngular(()=>{this._announceTimeoutId=setTimeout(()=>{if(this._destroyed)return;let e=this._elementRef.nativeElement,t=e.querySelector("[aria-hidden]"),n=e.querySelector("[aria-live]");if(t&&n){let o=null;this._platform.isBrowser&&document.activeElement instanceof HTMLElement&&t.contains(document.activeElement)&&(o=document.activeElement),t.removeAttribute("aria-hidden"),n.appendChild(t),o?.focus(),this._onAnnounce.next(),this._onAnnounce.complete()}},this._announceDelay)})}static \u0275fac=function(t){return new(t||i)};static \u0275cmp=F({type:i,selectors:[["mat-snack-bar-container"]],viewQuery:function(t,n){if(t&1&&ve(Z,7)(Xi,7),t&2){let o;U(o=$())&&(n._portalOutlet=o.first),U(o=$())&&(n._label=o.first)}},hostAttrs:[1,"mdc-snackbar","mat-mdc-snack-bar-container"],hostVars:6,hostBindings:function(t,n){t&1&&v("animationend",function(d){return n.onAnimationEnd(d.animationName)})("animationcancel",function(d){return n.onAnimationEnd(d.animationName)}),t&2&&P("mat-snack-bar-container-enter",n._animationState==="visible")("mat-snack-bar-container-exit",n._animationState==="hidden")("mat-snack-bar-container-animations-enabled",!n._animationsDisabled)},features:[H],decls:6,vars:3,consts:[["label",""],[1,"mdc-snackbar__surface","mat-mdc-snackbar-surface"],[1,"mat-mdc-snack-bar-label"],["aria-hidden","true"],["cdkPortalOutlet",""]],template:function(t,n){t&1&&(s(0,"div",1)(1,"div",2,0)(3,"div",3),ee(4,Ji,0,0,"ng-template",4),l(),M(5,"div"),l()()),t&2&&(r(5),w("aria-live",n._live)("role",n._role)("id",n._liveElementId))},dependencies:[Z],styles:[`@keyframes _mat-snack-bar-enter {
  from {
    transform: scale(0.8);
    opacity: 0;
  }
  to {
    transform: scale(1);
    opacity: 1;
  }
}
@keyframes _mat-snack-bar-exit {
  from {
    opacity: 1;
  }
  to {
    opacity: 0;
  }
}
.mat-mdc-snack-bar-container {
  display: flex;
  align-items: center;
  justify-content: center;
  box-sizing: border-box;
  -webkit-tap-highlight-color: rgba(0, 0, 0, 0);
  margin: 8px;
}
.mat-mdc-snack-bar-handset .mat-mdc-snack-bar-container {
  width: 100vw;
}

.mat-snack-bar-container-animations-enabled {
  opacity: 0;
}
.mat-snack-bar-container-animations-enabled.mat-snack-bar-fallback-visible {
  opacity: 1;
}
.mat-snack-bar-container-animations-enabled.mat-snack-bar-container-enter {
  animation: _mat-snack-bar-enter 150ms cubic-bezier(0, 0, 0.2, 1) forwards;
}
.mat-snack-bar-container-animations-enabled.mat-snack-bar-container-exit {
  animation: _mat-snack-bar-exit 75ms cubic-bezier(0.4, 0, 1, 1) forwards;
}

.mat-mdc-snackbar-surface {
  box-shadow: 0px 3px 5px -1px rgba(0, 0, 0, 0.2), 0px 6px 10px 0px rgba(0, 0, 0, 0.14), 0px 1px 18px 0px rgba(0, 0, 0, 0.12);
  display: flex;
  align-items: center;
  justify-content: flex-start;
  box-sizing: border-box;
  padding-left: 0;
  padding-right: 8px;
}
[dir=rtl] .mat-mdc-snackbar-surface {
  padding-right: 0;
  padding-left: 8px;
}
.mat-mdc-snack-bar-container .mat-mdc-snackbar-surface {
  min-width: 344px;
  max-width: 672px;
}
.mat-mdc-snack-bar-handset .mat-mdc-snackbar-surface {
  width: 100%;
  min-width: 0;
}
@media (forced-colors: active) {
  .mat-mdc-snackbar-surface {
    outline: solid 1px;
  }
}
.mat-mdc-snack-bar-container .mat-mdc-snackbar-surface {
  color: var(--mat-snack-bar-supporting-text-color, var(--mat-sys-inverse-on-surface));
  border-radius: var(--mat-snack-bar-container-shape, var(--mat-sys-corner-extra-small));
  background-color: var(--mat-snack-bar-container-color, var(--mat-sys-inverse-surface));
}

.mdc-snackbar__label {
  width: 100%;
  flex-grow: 1;
  box-sizing: border-box;
  margin: 0;
  padding: 14px 8px 14px 16px;
}
[dir=rtl] .mdc-snackbar__label {
  padding-left: 8px;
  padding-right: 16px;
}
.mat-mdc-snack-bar-container .mdc-snackbar__label {
  font-family: var(--mat-snack-bar-supporting-text-font, var(--mat-sys-body-medium-font));
  font-size: var(--mat-snack-bar-supporting-text-size, var(--mat-sys-body-medium-size));
  font-weight: var(--mat-snack-bar-supporting-text-weight, var(--mat-sys-body-medium-weight));
  line-height: var(--mat-snack-bar-supporting-text-line-height, var(--mat-sys-body-medium-line-height));
}

.mat-mdc-snack-bar-actions {
  display: flex;
  flex-shrink: 0;
  align-items: center;
  box-sizing: border-box;
}

.mat-mdc-snack-bar-handset,
.mat-mdc-snack-bar-container,
.mat-mdc-snack-bar-label {
  flex: 1 1 auto;
}

.mat-mdc-snack-bar-container .mat-mdc-button.mat-mdc-snack-bar-action:not(:disabled).mat-unthemed {
  color: var(--mat-snack-bar-button-color, var(--mat-sys-inverse-primary));
}
.mat-mdc-snack-bar-container .mat-mdc-button.mat-mdc-snack-bar-action:not(:disabled) {
  --mat-button-text-state-layer-color: currentColor;
  --mat-button-text-ripple-color: currentColor;
}
.mat-mdc-snack-bar-container .mat-mdc-button.mat-mdc-snack-bar-action:not(:disabled) .mat-ripple-element {
  opacity: 0.1;
}
`],encapsulation:2})}return i})(),sn=new E("mat-snack-bar-default-options",{providedIn:"root",factory:()=>new he}),Oi=(()=>{class i{_live=c(Pt);_injector=c(O);_breakpointObserver=c(It);_parentSnackBar=c(i,{optional:!0,skipSelf:!0});_defaultConfig=c(sn);_animationsDisabled=K();_snackBarRefAtThisLevel=null;simpleSnackBarComponent=on;snackBarContainerComponent=rn;handsetCssClass="mat-mdc-snack-bar-handset";get _openedSnackBarRef(){let e=this._parentSnackBar;return e?e._openedSnackBarRef:this._snackBarRefAtThisLevel}set _openedSnackBarRef(e){this._parentSnackBar?this._parentSnackBar._openedSnackBarRef=e:this._snackBarRefAtThisLevel=e}constructor(){}openFromComponent(e,t){return this._attach(e,t)}openFromTemplate(e,t){return this._attach(e,t)}open(e,t="",n){let o=T(T({},this._defaultConfig),n);return o.data={message:e,action:t},o.announcementMessage===e&&(o.announcementMessage=void 0),this.openFromComponent(this.simpleSnackBarComponent,o)}dismiss(){this._openedSnackBarRef&&this._openedSnackBarRef.dismiss()}ngOnDestroy(){this._snackBarRefAtThisLevel&&this._snackBarRefAtThisLevel.dismiss()}_attachSnackBarContainer(e,t){let n=t&&t.viewContainerRef&&t.viewContainerRef.injector,o=O.create({parent:n||this._injector,providers:[{provide:he,useValue:t}]}),d=new ce(this.snackBarContainerComponent,t.viewContainerRef,o),p=e.attach(d);return p.instance.snackBarConfig=t,p.instance}_attach(e,t){let n=T(T(T({},new he),this._defaultConfig),t),o=this._createOverlay(n),d=this._attachSnackBarContainer(o,n),p=new Se(d,o);if(e instanceof Q){let _=new Qe(e,null,{$implicit:n.data,snackBarRef:p});p.instance=d.attachTemplatePortal(_)}else{let _=this._createInjector(n,p),N=new ce(e,void 0,_),j=d.attachComponentPortal(N);p.instance=j.instance}return this._breakpointObserver.observe(jt.HandsetPortrait).pipe(Ct(o.detachments())).subscribe(_=>{o.overlayElement.classList.toggle(this.handsetCssClass,_.matches)}),n.announcementMessage&&d._onAnnounce.subscribe(()=>{this._live.announce(n.announcementMessage,n.politeness)}),this._animateSnackBar(p,n),this._openedSnackBarRef=p,this._openedSnackBarRef}_animateSnackBar(e,t){e.afterDismissed().subscribe(()=>{this._openedSnackBarRef==e&&(this._openedSnackBarRef=null),t.announcementMessage&&this._live.clear()}),t.duration&&t.duration>0&&e.afterOpened().subscribe(()=>e._dismissAfter(t.duration)),this._openedSnackBarRef?(this._openedSnackBarRef.afterDismissed().subscribe(()=>{e.containerInstance.enter()}),this._openedSnackBarRef.dismiss()):e.containerInstance.enter()}_createOverlay(e){let t=new Ke;t.direction=e.direction;let n=me(this._injector),o=e.direction==="rtl",d=e.horizontalPosition==="left"||e.horizontalPosition==="start"&&!o||e.horizontalPosition==="end"&&o,p=!d&&e.horizontalPosition!=="center";return d?n.left("0"):p?n.right("0"):n.centerHorizontally(),e.verticalPosition==="top"?n.top("0"):n.bottom("0"),t.positionStrategy=n,t.disableAnimations=this._animationsDisabled,Ze(this._injector,t)}_createInjector(e,t){let n=e&&e.viewContainerRef&&e.viewContainerRef.injector;return O.create({parent:n||this._injector,providers:[{provide:Se,useValue:t},{provide:Ei,useValue:e.data}]})}static \u0275fac=function(t){return new(t||i)};static \u0275prov=X({token:i,factory:i.\u0275fac,providedIn:"root"})}return i})();var ln=new E("CDK_TABLE");var cn=(()=>{class i{template=c(Q);constructor(){}static \u0275fac=function(t){return new(t||i)};static \u0275dir=R({type:i,selectors:[["","cdkCellDef",""]]})}return i})(),dn=(()=>{class i{template=c(Q);constructor(){}static \u0275fac=function(t){return new(t||i)};static \u0275dir=R({type:i,selectors:[["","cdkHeaderCellDef",""]]})}return i})(),mn=(()=>{class i{template=c(Q);constructor(){}static \u0275fac=function(t){return new(t||i)};static \u0275dir=R({type:i,selectors:[["","cdkFooterCellDef",""]]})}return i})(),Ii=(()=>{class i{_table=c(ln,{optional:!0});_hasStickyChanged=!1;get name(){return this._name}set name(e){this._setNameInput(e)}_name;get sticky(){return this._sticky}set sticky(e){e!==this._sticky&&(this._sticky=e,this._hasStickyChanged=!0)}_sticky=!1;get stickyEnd(){return this._stickyEnd}set stickyEnd(e){e!==this._stickyEnd&&(this._stickyEnd=e,this._hasStickyChanged=!0)}_stickyEnd=!1;cell;headerCell;footerCell;cssClassFriendlyName;_columnCssClassName;constructor(){}hasStickyChanged(){let e=this._hasStickyChanged;return this.resetStickyChanged(),e}resetStickyChanged(){this._hasStickyChanged=!1}_updateColumnCssClassName(){this._columnCssClassName=[`cdk-column-${this.cssClassFriendlyName}`]}_setNameInput(e){e&&(this._name=e,this.cssClassFriendlyName=e.replace(/[^a-z0-9_-]/gi,"-"),this._updateColumnCssClassName())}static \u0275fac=function(t){return new(t||i)};static \u0275dir=R({type:i,selectors:[["","cdkColumnDef",""]],contentQueries:function(t,n,o){if(t&1&&Rt(o,cn,5)(o,dn,5)(o,mn,5),t&2){let d;U(d=$())&&(n.cell=d.first),U(d=$())&&(n.headerCell=d.first),U(d=$())&&(n.footerCell=d.first)}},inputs:{name:[0,"cdkColumnDef","name"],sticky:[2,"sticky","sticky",G],stickyEnd:[2,"stickyEnd","stickyEnd",G]}})}return i})();var un=["mat-sort-header",""],hn=["*",[["","matSortHeaderIcon",""]]],pn=["*","[matSortHeaderIcon]"];function fn(i,a){i&1&&(vt(),Oe(0,"svg",3),St(1,"path",4),Ce())}function _n(i,a){i&1&&(Oe(0,"div",2),Ie(1,1,null,fn,2,0),Ce())}var Fi=new E("MAT_SORT_DEFAULT_OPTIONS"),ft=(()=>{class i{_defaultOptions;_initializedStream=new pe(1);sortables=new Map;_stateChanges=new S;active;start="asc";get direction(){return this._direction}set direction(e){this._direction=e}_direction="";disableClear;disabled=!1;sortChange=new J;initialized=this._initializedStream;constructor(e){this._defaultOptions=e}register(e){this.sortables.set(e.id,e)}deregister(e){this.sortables.delete(e.id)}sort(e){this.active!=e.id?(this.active=e.id,this.direction=e.start?e.start:this.start):this.direction=this.getNextSortDirection(e),this.sortChange.emit({active:this.active,direction:this.direction})}getNextSortDirection(e){if(!e)return"";let t=e?.disableClear??this.disableClear??!!this._defaultOptions?.disableClear,n=gn(e.start||this.start,t),o=n.indexOf(this.direction)+1;return o>=n.length&&(o=0),n[o]}ngOnInit(){this._initializedStream.next()}ngOnChanges(){this._stateChanges.next()}ngOnDestroy(){this._stateChanges.complete(),this._initializedStream.complete()}static \u0275fac=function(t){return new(t||i)(kt(Fi,8))};static \u0275dir=R({type:i,selectors:[["","matSort",""]],hostAttrs:[1,"mat-sort"],inputs:{active:[0,"matSortActive","active"],start:[0,"matSortStart","start"],direction:[0,"matSortDirection","direction"],disableClear:[2,"matSortDisableClear","disableClear",G],disabled:[2,"matSortDisabled","disabled",G]},outputs:{sortChange:"matSortChange"},exportAs:["matSort"],features:[ge]})}return i})();function gn(i,a){let e=["asc","desc"];return i=="desc"&&e.reverse(),a||e.push(""),e}var Bi=(()=>{class i{_sort=c(ft,{optional:!0});_columnDef=c(Ii,{optional:!0});_changeDetectorRef=c(ie);_focusMonitor=c(Le);_elementRef=c(L);_ariaDescriber=c(Lt,{optional:!0});_renderChanges;_animationsDisabled=K();_recentlyCleared=A(null);_sortButton;id;arrowPosition="after";start;disabled=!1;get sortActionDescription(){return this._sortActionDescription}set sortActionDescription(e){this._updateSortActionDescription(e)}_sortActionDescription="Sort";disableClear;constructor(){c(Ot).load(zt);let e=c(Fi,{optional:!0});this._sort,e?.arrowPosition&&(this.arrowPosition=e?.arrowPosition)}ngOnInit(){!this.id&&this._columnDef&&(this.id=this._columnDef.name),this._sort.register(this),this._renderChanges=Ae(this._sort._stateChanges,this._sort.sortChange).subscribe(()=>this._changeDetectorRef.markForCheck()),this._sortButton=this._elementRef.nativeElement.querySelector(".mat-sort-header-container"),this._updateSortActionDescription(this._sortActionDescription)}ngAfterViewInit(){this._focusMonitor.monitor(this._elementRef,!0).subscribe(()=>{Promise.resolve().then(()=>this._recentlyCleared.set(null))})}ngOnDestroy(){this._focusMonitor.stopMonitoring(this._elementRef),this._sort.deregister(this),this._renderChanges?.unsubscribe(),this._sortButton&&this._ariaDescriber?.removeDescription(this._sortButton,this._sortActionDescription)}_toggleOnInteraction(){if(!this._isDisabled()){let e=this._isSorted(),t=this._sort.direction;this._sort.sort(this),this._recentlyCleared.set(e&&!this._isSorted()?t:null)}}_handleKeydown(e){(e.keyCode===32||e.keyCode===13)&&(e.preventDefault(),this._toggleOnInteraction())}_isSorted(){return this._sort.active==this.id&&(this._sort.direction==="asc"||this._sort.direction==="desc")}_isDisabled(){return this._sort.disabled||this.disabled}_getAriaSortAttribute(){return this._isSorted()?this._sort.direction=="asc"?"ascending":"descending":"none"}_renderArrow(){return!this._isDisabled()||this._isSorted()}_updateSortActionDescription(e){this._sortButton&&(this._ariaDescriber?.removeDescription(this._sortButton,this._sortActionDescription),this._ariaDescriber?.describe(this._sortButton,e)),this._sortActionDescription=e}static \u0275fac=function(t){return new(t||i)};static \u0275cmp=F({type:i,selectors:[["","mat-sort-header",""]],hostAttrs:[1,"mat-sort-header"],hostVars:3,hostBindings:function(t,n){t&1&&v("click",function(){return n._toggleOnInteraction()})("keydown",function(d){return n._handleKeydown(d)})("mouseleave",function(){return n._recentlyCleared.set(null)}),t&2&&(w("aria-sort",n._getAriaSortAttribute()),P("mat-sort-header-disabled",n._isDisabled()))},inputs:{id:[0,"mat-sort-header","id"],arrowPosition:"arrowPosition",start:"start",disabled:[2,"disabled","disabled",G],sortActionDescription:"sortActionDescription",disableClear:[2,"disableClear","disableClear",G]},exportAs:["matSortHeader"],attrs:un,ngContentSelectors:pn,decls:4,vars:17,consts:[[1,"mat-sort-header-container","mat-focus-indicator"],[1,"mat-sort-header-content"],[1,"mat-sort-header-arrow"],["viewBox","0 -960 960 960","focusable","false","aria-hidden","true"],["d","M440-240v-368L296-464l-56-56 240-240 240 240-56 56-144-144v368h-80Z"]],template:function(t,n){t&1&&(at(hn),Oe(0,"div",0)(1,"div",1),Ie(2),Ce(),y(3,_n,3,0,"div",2),Ce()),t&2&&(P("mat-sort-header-sorted",n._isSorted())("mat-sort-header-position-before",n.arrowPosition==="before")("mat-sort-header-descending",n._sort.direction==="desc")("mat-sort-header-ascending",n._sort.direction==="asc")("mat-sort-header-recently-cleared-ascending",n._recentlyCleared()==="asc")("mat-sort-header-recently-cleared-descending",n._recentlyCleared()==="desc")("mat-sort-header-animations-disabled",n._animationsDisabled),w("tabindex",n._isDisabled()?null:0)("role",n._isDisabled()?null:"button"),r(3),C(n._renderArrow()?3:-1))},styles:[`.mat-sort-header {
  cursor: pointer;
}

.mat-sort-header-disabled {
  cursor: default;
}

.mat-sort-header-container {
  display: flex;
  align-items: center;
  letter-spacing: normal;
  outline: 0;
}
[mat-sort-header].cdk-keyboard-focused .mat-sort-header-container, [mat-sort-header].cdk-program-focused .mat-sort-header-container {
  border-bottom: solid 1px currentColor;
}
.mat-sort-header-container::before {
  margin: calc(calc(var(--mat-focus-indicator-border-width, 3px) + 2px) * -1);
}

.mat-sort-header-content {
  display: flex;
  align-items: center;
}

.mat-sort-header-position-before {
  flex-direction: row-reverse;
}

@keyframes _mat-sort-header-recently-cleared-ascending {
  from {
    transform: translateY(0);
    opacity: 1;
  }
  to {
    transform: translateY(-25%);
    opacity: 0;
  }
}
@keyframes _mat-sort-header-recently-cleared-descending {
  from {
    transform: translateY(0) rotate(180deg);
    opacity: 1;
  }
  to {
    transform: translateY(25%) rotate(180deg);
    opacity: 0;
  }
}
.mat-sort-header-arrow {
  height: 12px;
  width: 12px;
  position: relative;
  transition: transform 225ms cubic-bezier(0.4, 0, 0.2, 1), opacity 225ms cubic-bezier(0.4, 0, 0.2, 1);
  opacity: 0;
  overflow: visible;
  color: var(--mat-sort-arrow-color, var(--mat-sys-on-surface));
}
.mat-sort-header.cdk-keyboard-focused .mat-sort-header-arrow, .mat-sort-header.cdk-program-focused .mat-sort-header-arrow, .mat-sort-header:hover .mat-sort-header-arrow {
  opacity: 0.54;
}
.mat-sort-header .mat-sort-header-sorted .mat-sort-header-arrow {
  opacity: 1;
}
.mat-sort-header-descending .mat-sort-header-arrow {
  transform: rotate(180deg);
}
.mat-sort-header-recently-cleared-ascending .mat-sort-header-arrow {
  transform: translateY(-25%);
}
.mat-sort-header-recently-cleared-ascending .mat-sort-header-arrow {
  transition: none;
  animation: _mat-sort-header-recently-cleared-ascending 225ms cubic-bezier(0.4, 0, 0.2, 1) forwards;
}
.mat-sort-header-recently-cleared-descending .mat-sort-header-arrow {
  transition: none;
  animation: _mat-sort-header-recently-cleared-descending 225ms cubic-bezier(0.4, 0, 0.2, 1) forwards;
}
.mat-sort-header-animations-disabled .mat-sort-header-arrow {
  transition-duration: 0ms;
  animation-duration: 0ms;
}
.mat-sort-header-arrow > svg, .mat-sort-header-arrow [matSortHeaderIcon] {
  width: 24px;
  height: 24px;
  fill: currentColor;
  position: absolute;
  top: 50%;
  left: 50%;
  margin: -12px 0 0 -12px;
  transform: translateZ(0);
}
.mat-sort-header-arrow, [dir=rtl] .mat-sort-header-position-before .mat-sort-header-arrow {
  margin: 0 0 0 6px;
}
.mat-sort-header-position-before .mat-sort-header-arrow, [dir=rtl] .mat-sort-header-arrow {
  margin: 0 6px 0 0;
}
`],encapsulation:2,changeDetection:0})}return i})(),Pi=(()=>{class i{static \u0275fac=function(t){return new(t||i)};static \u0275mod=W({type:i});static \u0275inj=q({imports:[He]})}return i})();var Dn=i=>({n:i});function kn(i,a){i&1&&(s(0,"mat-hint"),m(1),u(2,"t"),l()),i&2&&(r(),g(h(2,1,"alarms.commentOptional")))}function xn(i,a){if(i&1&&(s(0,"mat-option",9),m(1),u(2,"t"),l()),i&2){let e=a.$implicit;D("value",e),r(),g(I(2,2,"alarms.hours",se(5,Dn,e)))}}function Sn(i,a){if(i&1){let e=B();s(0,"mat-form-field",3)(1,"mat-label"),m(2),u(3,"t"),l(),s(4,"input",10),v("change",function(n){k(e);let o=f(2);return x(o.until.set(n.target.value))}),l()()}if(i&2){let e=f(2);r(2),g(h(3,2,"alarms.untilDate")),r(2),D("value",e.until())}}function Rn(i,a){if(i&1){let e=B();s(0,"mat-form-field",3)(1,"mat-label"),m(2),u(3,"t"),l(),s(4,"mat-select",8),v("valueChange",function(n){k(e);let o=f();return x(o.hours.set(n))}),V(5,xn,3,7,"mat-option",9,ye),s(7,"mat-option",9),m(8),u(9,"t"),l()()(),y(10,Sn,5,4,"mat-form-field",3)}if(i&2){let e=f();r(2),g(h(3,5,"alarms.shelveFor")),r(2),D("value",e.hours()),r(),z(e.shelveHours),r(2),D("value",0),r(),g(h(9,7,"alarms.until")),r(2),C(e.hours()===0?10:-1)}}var An=[1,2,4,8,24],it=class i{data=c(ut);ref=c(ae);shelveHours=An;comment=A("");hours=A(4);until=A("");required=te(()=>this.data.mode!=="ack");untilDate=te(()=>{if(this.data.mode!=="shelve")return;if(this.hours()>0)return new Date(Date.now()+this.hours()*36e5);let a=this.until()?new Date(this.until()):null;return a&&Number.isFinite(a.getTime())&&a.getTime()>Date.now()?a:void 0});valid=te(()=>this.required()&&this.comment().trim()===""?!1:this.data.mode!=="shelve"||this.untilDate()!==void 0);submit(){this.valid()&&this.ref.close({comment:this.comment().trim(),until:this.untilDate()})}static \u0275fac=function(e){return new(e||i)};static \u0275cmp=F({type:i,selectors:[["app-alarm-dialog"]],decls:20,vars:16,consts:[["mat-dialog-title",""],[3,"submit"],[1,"which"],[1,"full"],["matInput","","cdkFocusInitial","","rows","3","name","comment",3,"ngModelChange","required","ngModel"],["align","end"],["mat-button","","type","button","mat-dialog-close",""],["mat-flat-button","","type","submit",3,"disabled"],["name","hours",3,"valueChange","value"],[3,"value"],["matInput","","type","datetime-local","name","until","required","",3,"change","value"]],template:function(e,t){e&1&&(s(0,"h2",0),m(1),l(),s(2,"form",1),v("submit",function(o){return o.preventDefault(),t.submit()}),s(3,"mat-dialog-content")(4,"p",2),m(5),l(),s(6,"mat-form-field",3)(7,"mat-label"),m(8),u(9,"t"),l(),s(10,"textarea",4),v("ngModelChange",function(o){return t.comment.set(o)}),l(),y(11,kn,3,3,"mat-hint"),l(),y(12,Rn,11,9),l(),s(13,"mat-dialog-actions",5)(14,"button",6),m(15),u(16,"t"),l(),s(17,"button",7),m(18),u(19,"t"),l()()()),e&2&&(r(),g(t.data.title),r(4),g(t.data.alarm.condition??t.data.alarm.summary??t.data.alarm.id),r(3),g(h(9,10,t.data.mode==="shelve"?"alarms.reason":"alarms.comment")),r(2),D("required",t.required())("ngModel",t.comment()),r(),C(t.data.mode==="ack"?11:-1),r(),C(t.data.mode==="shelve"?12:-1),r(3),g(h(16,12,"action.cancel")),r(2),D("disabled",!t.valid()),r(),b(" ",h(19,14,"alarms.confirm."+t.data.mode)," "))},dependencies:[pi,ui,si,li,ci,hi,mi,di,be,le,Ti,ki,Si,Ai,Ri,Ue,ze,Ve,Ht,_i,fi,Je,Xe,Ye,qe],styles:[".full[_ngcontent-%COMP%]{width:100%;margin-top:8px}.which[_ngcontent-%COMP%]{font:var(--mat-sys-title-small)}form[_ngcontent-%COMP%]{min-width:min(480px,80vw)}"],changeDetection:0})};var Mn=["row"],Tn=()=>["open","unacked","acked","shelved","all"],En=()=>[],On=()=>["low","medium","high","critical"],In=i=>({n:i}),Fn=i=>({severity:i}),Bn=(i,a)=>({limit:i,unit:a}),Pn=(i,a)=>({until:i,reason:a}),Nn=i=>({by:i}),Ln=(i,a)=>({step:i,n:a}),jn=(i,a)=>a.keys,Li=(i,a)=>a.id,Hn=(i,a)=>a.operator;function Vn(i,a){if(i&1&&(s(0,"div")(1,"dt")(2,"kbd"),m(3),u(4,"t"),l()(),s(5,"dd"),m(6),u(7,"t"),l()()),i&2){let e=a.$implicit;r(3),g(h(4,2,e.keys)),r(3),g(h(7,4,e.action))}}function zn(i,a){if(i&1&&(s(0,"section",5),u(1,"t"),s(2,"dl"),V(3,Vn,8,6,"div",null,jn),l()()),i&2){let e=f();w("aria-label",h(1,1,"alarms.shortcuts")),r(3),z(e.shortcuts)}}function Un(i,a){i&1&&(s(0,"div",6),M(1,"mat-icon",8),s(2,"span"),m(3),u(4,"t"),l(),s(5,"a",9),m(6),u(7,"t"),l()()),i&2&&(r(3),g(h(4,2,"alarms.missing")),r(3),g(h(7,4,"nav.timeline")))}function $n(i,a){if(i&1){let e=B();s(0,"div",7),M(1,"mat-icon",10),s(2,"span"),m(3),u(4,"t"),l(),s(5,"button",11),v("click",function(){k(e);let n=f();return x(n.alarms.refresh())}),m(6),u(7,"t"),l()()}i&2&&(r(3),g(h(4,2,"alarms.loadError")),r(3),b(" ",h(7,4,"action.retry")," "))}function qn(i,a){if(i&1&&(s(0,"mat-option",14),m(1),u(2,"t"),l()),i&2){let e=a.$implicit;D("value",e),r(),g(h(2,2,"alarms.filter."+e))}}function Qn(i,a){if(i&1&&(s(0,"mat-option",14),m(1),l()),i&2){let e=a.$implicit;D("value",e.id),r(),g(e.name)}}function Wn(i,a){if(i&1&&(s(0,"mat-option",14),m(1),u(2,"t"),u(3,"t"),l()),i&2){let e=a.$implicit;D("value",e),r(),g(I(3,4,"alarms.atLeast",se(7,Fn,h(2,2,"severity."+e))))}}function Gn(i,a){i&1&&(s(0,"span",20),m(1),u(2,"t"),l()),i&2&&(r(),g(h(2,1,"alarms.selected")))}function Kn(i,a){if(i&1&&(m(0),u(1,"num"),u(2,"t")),i&2){let e=f(2).$implicit;b(" (",I(2,4,"alarms.limit",Be(7,Bn,I(1,1,e.limit,2),e.unit??"")),") ")}}function Zn(i,a){if(i&1&&(s(0,"div",31),m(1),u(2,"num"),y(3,Kn,3,10),l()),i&2){let e=f().$implicit;r(),Tt(" ",I(2,3,e.value,2)," ",e.unit??""," "),r(2),C(e.limit?3:-1)}}function Yn(i,a){if(i&1&&(s(0,"div",31),M(1,"mat-icon",38),m(2),l()),i&2){let e=f().$implicit;r(2),b(" ",e.comments[e.comments.length-1].text," ")}}function Xn(i,a){if(i&1&&(s(0,"div",31),m(1),u(2,"datetime"),u(3,"t"),l()),i&2){let e=f().$implicit;r(),b(" ",I(3,4,"alarms.shelvedUntil",Be(7,Pn,I(2,1,e.shelved_until,"short"),e.shelve_reason??""))," ")}}function Jn(i,a){if(i&1&&(s(0,"div",31),m(1),u(2,"t"),l()),i&2){let e=f().$implicit;r(),g(I(2,1,"alarms.ackedBy",se(4,Nn,e.acked_by)))}}function ea(i,a){if(i&1&&(s(0,"div",39),M(1,"mat-icon",40),m(2),l()),i&2){let e=a;P("due",e.due),r(2),b("",e.text," ")}}function ta(i,a){if(i&1&&(s(0,"li"),M(1,"mat-icon",42),m(2),u(3,"t"),l()),i&2){let e=a.$implicit;r(2),b(" ",I(3,1,"alarms.notified",e)," ")}}function ia(i,a){if(i&1&&(s(0,"div",41),m(1),l()),i&2){let e=f();w("title",e.reason!==e.recorded?e.recorded:null),r(),b(" ",e.reason," ")}}function na(i,a){if(i&1&&(s(0,"div",35)(1,"div",31),m(2),u(3,"t"),l(),s(4,"ul"),u(5,"t"),V(6,ta,4,4,"li",null,Hn),l(),y(8,ia,2,2,"div",41),l()),i&2){let e=a;r(2),b(" ",I(3,3,"alarms.cascadeStep",Be(8,Ln,e.step,e.count))," "),r(2),w("aria-label",h(5,6,"alarms.cascade")),r(2),z(e.lines),r(2),C(e.reason?8:-1)}}function aa(i,a){if(i&1){let e=B();s(0,"button",46),v("click",function(n){k(e);let o=f(2).$implicit;return f(3).ack(o),x(n.stopPropagation())}),M(1,"mat-icon",47),m(2),u(3,"t"),l(),s(4,"button",43),v("click",function(n){k(e);let o=f(2).$implicit;return f(3).open("ack",o),x(n.stopPropagation())}),m(5),u(6,"t"),l()}if(i&2){let e=f(2).$implicit,t=f(3);D("disabled",t.busy()===e.id),r(2),b("",h(3,4,"alarms.ack")," "),r(2),D("disabled",t.busy()===e.id),r(),b(" ",h(6,6,"alarms.ackWithComment")," ")}}function oa(i,a){if(i&1){let e=B();s(0,"button",43),v("click",function(n){k(e);let o=f(2).$implicit;return f(3).unshelve(o),x(n.stopPropagation())}),M(1,"mat-icon",48),m(2),u(3,"t"),l()}if(i&2){let e=f(2).$implicit,t=f(3);D("disabled",t.busy()===e.id),r(2),b("",h(3,2,"alarms.unshelve")," ")}}function ra(i,a){if(i&1){let e=B();s(0,"button",43),v("click",function(n){k(e);let o=f(2).$implicit;return f(3).open("shelve",o),x(n.stopPropagation())}),M(1,"mat-icon",49),m(2),u(3,"t"),l()}if(i&2){let e=f(2).$implicit,t=f(3);D("disabled",t.busy()===e.id),r(2),b("",h(3,2,"alarms.shelve")," ")}}function sa(i,a){if(i&1){let e=B();y(0,aa,7,8),s(1,"button",43),v("click",function(n){k(e);let o=f().$implicit;return f(3).open("comment",o),x(n.stopPropagation())}),M(2,"mat-icon",44),m(3),u(4,"t"),l(),y(5,oa,4,4,"button",45)(6,ra,4,4,"button",45)}if(i&2){let e=f().$implicit,t=f(3);C(t.isUnacked(e)?0:-1),r(),D("disabled",t.busy()===e.id),r(2),b("",h(4,4,"alarms.addComment")," "),r(2),C(e.state==="shelved"?5:6)}}function la(i,a){i&1&&(s(0,"span",37),m(1),u(2,"t"),l()),i&2&&(r(),g(h(2,1,"alarms.readOnly")))}function ca(i,a){if(i&1){let e=B();s(0,"tr",27,0),v("click",function(){let n=k(e).$implicit,o=f(3);return x(o.select(n))})("focus",function(){let n=k(e).$implicit,o=f(3);return x(o.select(n))}),s(2,"td"),u(3,"t"),s(4,"div",28),M(5,"app-severity-badge",29),y(6,Gn,3,3,"span",20),l()(),s(7,"td"),u(8,"t"),s(9,"div",28),m(10),l()(),s(11,"td"),u(12,"t"),s(13,"div",28)(14,"div",30),m(15),l(),y(16,Zn,4,6,"div",31),y(17,Yn,3,1,"div",31),l()(),s(18,"td"),u(19,"t"),s(20,"div",28)(21,"span",32),M(22,"mat-icon",33),m(23),u(24,"t"),l(),y(25,Xn,4,10,"div",31),y(26,Jn,3,6,"div",31),y(27,ea,3,3,"div",34),y(28,na,9,11,"div",35),l()(),s(29,"td"),u(30,"t"),s(31,"div",28),m(32),u(33,"datetime"),s(34,"div",31),m(35),u(36,"freshness"),l()()(),s(37,"td"),u(38,"t"),s(39,"div",36),y(40,sa,7,6)(41,la,3,3,"span",37),l()()()}if(i&2){let e,t,n=a.$implicit,o=f(3);P("selected",n.id===o.selectedId())("unacked",o.isUnacked(n)),w("tabindex",n.id===o.selectedId()?0:-1),r(2),w("data-label",h(3,28,"detail.severity")),r(3),D("severity",n.severity),r(),C(n.id===o.selectedId()?6:-1),r(),w("data-label",h(8,30,"timeline.dam")),r(3),g(o.damName(n.dam)),r(),w("data-label",h(12,32,"alarms.condition")),r(4),g(n.summary||n.condition||n.id),r(),C(n.value!==void 0&&n.value!==null?16:-1),r(),C(n.comments!=null&&n.comments.length?17:-1),r(),w("data-label",h(19,34,"alarms.state")),r(3),P("state-unacked",o.isUnacked(n)),r(),D("svgIcon",o.isUnacked(n)?"notifications_active":n.state==="shelved"?"pause":"check"),r(),b(" ",h(24,36,"alarm.state."+n.state)," "),r(2),C(n.state==="shelved"&&n.shelved_until?25:-1),r(),C(n.acked_by?26:-1),r(),C((e=o.escalation(n,o.clock.now()))?27:-1,e),r(),C((t=o.cascadeOf(n))?28:-1,t),r(),w("data-label",h(30,38,"alarms.raised")),r(3),b(" ",I(33,40,n.raised_at,"short")," "),r(3),g(I(36,43,n.raised_at,o.clock.now())),r(2),w("data-label",h(38,46,"alarms.actions")),r(3),C(o.session.canAct()?40:41)}}function da(i,a){if(i&1){let e=B();s(0,"table",19),v("matSortChange",function(n){k(e);let o=f(2);return x(o.sort.set(n))}),s(1,"caption",20),m(2),u(3,"t"),l(),s(4,"thead")(5,"tr")(6,"th",21),m(7),u(8,"t"),l(),s(9,"th",22),m(10),u(11,"t"),l(),s(12,"th",23),m(13),u(14,"t"),l(),s(15,"th",24),m(16),u(17,"t"),l(),s(18,"th",25),m(19),u(20,"t"),l(),s(21,"th",23),m(22),u(23,"t"),l()()(),s(24,"tbody"),V(25,ca,42,48,"tr",26,Li),l()()}if(i&2){let e=f(2);D("matSortActive",e.sort().active)("matSortDirection",e.sort().direction),r(2),b(" ",h(3,9,"alarms.caption")," "),r(5),g(h(8,11,"detail.severity")),r(3),g(h(11,13,"timeline.dam")),r(3),g(h(14,15,"alarms.condition")),r(3),g(h(17,17,"alarms.state")),r(3),g(h(20,19,"alarms.raised")),r(3),g(h(23,21,"alarms.actions")),r(3),z(e.visible())}}function ma(i,a){i&1&&(s(0,"p",18),M(1,"mat-icon",50),m(2),u(3,"t"),l()),i&2&&(r(2),b("",h(3,1,"alarms.none")," "))}function ua(i,a){if(i&1){let e=B();s(0,"div",12),u(1,"t"),s(2,"mat-form-field")(3,"mat-label"),m(4),u(5,"t"),l(),s(6,"mat-select",13),v("valueChange",function(n){k(e);let o=f();return x(o.stateFilter.set(n))}),V(7,qn,3,4,"mat-option",14,ye),l()(),s(9,"mat-form-field")(10,"mat-label"),m(11),u(12,"t"),l(),s(13,"mat-select",13),v("valueChange",function(n){k(e);let o=f();return x(o.damFilter.set(n))}),s(14,"mat-option",15),m(15),u(16,"t"),l(),V(17,Qn,2,2,"mat-option",14,Li),l()(),s(19,"mat-form-field")(20,"mat-label"),m(21),u(22,"t"),l(),s(23,"mat-select",13),v("valueChange",function(n){k(e);let o=f();return x(o.severityFilter.set(n))}),s(24,"mat-option",15),m(25),u(26,"t"),l(),V(27,Wn,4,9,"mat-option",14,ye),l()()(),s(29,"p",16),m(30),u(31,"t"),l(),y(32,da,27,23,"table",17)(33,ma,4,3,"p",18)}if(i&2){let e,t=f();w("aria-label",h(1,11,"alarms.filters")),r(4),g(h(5,13,"alarms.filterState")),r(2),D("value",t.stateFilter()),r(),z(Fe(26,Tn)),r(4),g(h(12,15,"timeline.dam")),r(2),D("value",t.damFilter()),r(2),g(h(16,17,"timeline.allDams")),r(2),z(((e=t.store.site())==null?null:e.dams)??Fe(27,En)),r(4),g(h(22,19,"alarms.filterSeverity")),r(2),D("value",t.severityFilter()),r(2),g(h(26,21,"alarms.allSeverities")),r(2),z(Fe(28,On)),r(3),g(I(31,23,"alarms.count",se(29,In,t.visible().length))),r(2),C(t.visible().length>0?32:t.alarms.status()==="available"?33:-1)}}var ha=[{keys:"j / \u2193",action:"shortcut.next"},{keys:"k / \u2191",action:"shortcut.previous"},{keys:"a",action:"shortcut.ack"},{keys:"shortcut.keys.shiftA",action:"shortcut.ackComment"},{keys:"c",action:"shortcut.comment"},{keys:"s",action:"shortcut.shelve"},{keys:"u",action:"shortcut.unshelve"},{keys:"?",action:"shortcut.help"}],pa=new Set(["a","A","c","s","S","u"]),Ni=class i{session=c(qt);alarms=c(Wt);store=c(Yt);clock=c(Kt);i18n=c(Zt);dialog=c(xe);snack=c(Oi);shortcuts=ha;stateFilter=A("open");damFilter=A("");severityFilter=A("");sort=A({active:"",direction:""});selectedId=A(null);busy=A(null);showHelp=A(!1);rows=Et("row");visible=te(()=>{let a=this.stateFilter(),e=this.damFilter(),t=this.severityFilter(),n=this.alarms.alarms().filter(_=>{switch(a){case"open":if(!Qt(_))return!1;break;case"unacked":if(!$e(_))return!1;break;case"acked":if(_.state!=="acked"&&_.state!=="ack_active")return!1;break;case"shelved":if(_.state!=="shelved")return!1;break}return(!e||_.dam===e)&&(!t||we(_.severity)>=we(t))}),{active:o,direction:d}=this.sort();if(!o||!d)return n.sort(Gt);let p=d==="asc"?1:-1;return n.sort((_,N)=>p*_a(o,_,N,j=>this.damName(j)))});selected=te(()=>this.visible().find(a=>a.id===this.selectedId())??null);constructor(){bt(()=>{let a=this.visible();a.some(e=>e.id===this.selectedId())||this.selectedId.set(a[0]?.id??null)})}ngOnInit(){this.store.start(),this.alarms.start()}damName(a){return a?this.store.site()?.dams.find(e=>e.id===a)?.name??a:""}isUnacked(a){return $e(a)}escalation(a,e){let t=a.cascade?.next_step_at;if(!t||!$e(a)||a.cascade?.running===!1)return null;let n=(Date.parse(t)-e)/1e3;return Number.isFinite(n)?n<=0?{due:!0,text:this.i18n.t("alarms.escalating")}:{due:!1,text:this.i18n.t("alarms.escalatesIn",{countdown:Xt(n)})}:null}cascadeOf(a){let e=a.cascade?.notifications??[];if(!e.length)return null;let t=a.cascade?.step||Math.max(...e.map(_=>_.step??0)),n=e.filter(_=>(_.step??t)===t),o=new Map;for(let _ of n)o.set(_.operator,[...o.get(_.operator)??[],_]);let d=[...o.entries()].slice(0,4).map(([_,N])=>({operator:_,who:N.find(j=>j.operator_name)?.operator_name||_,channel:N.map(j=>this.channelName(j.channel)).join(", "),at:this.time(N[0].at),status:[...new Set(N.map(j=>this.statusName(j.status)))].join(", ")})),p=n.find(_=>_.status==="failed"&&_.reason);return{step:t,count:e.length,lines:d,reason:p?this.reasonText(p):"",recorded:p?.reason??""}}reasonText(a){let e=a.reason??"";if(a.reason_code==="gave_up"&&a.reason_params?.length){let t=this.i18n.coded("reason","gave_up",a.reason_params,e),n=a.reason_cause?this.i18n.coded("reason",a.reason_cause.code,a.reason_cause.params,a.reason_params[1]??""):a.reason_params[1]??"";return n?this.i18n.t("alarms.reasonCause",{reason:t,cause:n}):t}return this.i18n.coded("reason",a.reason_code,a.reason_params,e)}time(a){let e=Date.parse(a);return Number.isFinite(e)?new Date(e).toLocaleTimeString(this.i18n.locale(),{hour:"2-digit",minute:"2-digit",second:"2-digit"}):""}channelName(a){let e="channel."+a,t=this.i18n.t(e);return t===e?a:t}statusName(a){let e="notification."+a,t=this.i18n.t(e);return t===e?a:t}select(a){this.selectedId.set(a.id)}async ack(a){await this.run(a,"alarms.done.ack",()=>this.alarms.acknowledge(a.id))}async open(a,e){let t={mode:a,alarm:e,title:this.i18n.t("alarms.dialog."+a)},n=await yt(this.dialog.open(it,{data:t,autoFocus:"dialog",restoreFocus:!0}).afterClosed());if(n)switch(a){case"ack":await this.run(e,"alarms.done.ack",()=>this.alarms.acknowledge(e.id,n.comment||void 0));break;case"comment":await this.run(e,"alarms.done.comment",()=>this.alarms.comment(e.id,n.comment));break;case"shelve":await this.run(e,"alarms.done.shelve",()=>this.alarms.shelve(e.id,n.comment,n.until));break}}async unshelve(a){await this.run(a,"alarms.done.unshelve",()=>this.alarms.unshelve(a.id))}async run(a,e,t){this.busy.set(a.id);try{await t(),this.snack.open(this.i18n.t(e),void 0,{duration:4e3})}catch(n){let o=n instanceof st?n:new st(0,String(n)),d=o.status===409?"alarms.error.conflict":o.status===404?"alarms.error.missing":o.status===0?"alarms.error.offline":"alarms.error.other";this.snack.open(this.i18n.t(d,{detail:o.message}),this.i18n.t("action.close"),{duration:1e4,politeness:"assertive"})}finally{this.busy.set(null)}}onKey(a){if(a.ctrlKey||a.metaKey||a.altKey||this.dialog.openDialogs.length>0||fa(a.target)||!this.session.canAct()&&pa.has(a.key))return;let e=this.selected(),t=a.target instanceof HTMLElement&&!!a.target.closest(".alarm-list");switch(a.key){case"j":this.move(1);break;case"ArrowDown":if(!t)return;this.move(1);break;case"k":this.move(-1);break;case"ArrowUp":if(!t)return;this.move(-1);break;case"a":e&&this.isUnacked(e)&&this.ack(e);break;case"A":e&&this.isUnacked(e)&&this.open("ack",e);break;case"c":e&&this.open("comment",e);break;case"s":e&&e.state!=="shelved"&&this.open("shelve",e);break;case"u":e&&e.state==="shelved"&&this.unshelve(e);break;case"?":this.showHelp.update(n=>!n);break;default:return}a.preventDefault()}move(a){let e=this.visible();if(e.length===0)return;let t=e.findIndex(o=>o.id===this.selectedId()),n=Math.min(e.length-1,Math.max(0,t===-1?0:t+a));this.selectedId.set(e[n].id),queueMicrotask(()=>this.rows()[n]?.nativeElement.focus())}static \u0275fac=function(e){return new(e||i)};static \u0275cmp=F({type:i,selectors:[["app-alarm-console"]],viewQuery:function(e,t){e&1&&At(t.rows,Mn,5),e&2&&Mt()},hostBindings:function(e,t){e&1&&v("keydown",function(o){return t.onKey(o)},wt)},decls:12,vars:10,consts:[["row",""],[1,"head"],[1,"page-title"],["mat-stroked-button","","type","button","aria-controls","shortcut-help",3,"click"],["svgIcon","keyboard","aria-hidden","true"],["id","shortcut-help",1,"help"],["role","status","data-testid","alarms-missing",1,"notice"],["role","alert",1,"notice","error"],["svgIcon","info","aria-hidden","true"],["routerLink","/timeline"],["svgIcon","error","aria-hidden","true"],["mat-stroked-button","","type","button",3,"click"],["role","group",1,"filters"],[3,"valueChange","value"],[3,"value"],["value",""],["role","status",1,"count"],["matSort","","data-testid","alarm-table",1,"data-table","alarm-list",3,"matSortActive","matSortDirection"],["data-testid","alarms-empty",1,"notice"],["matSort","","data-testid","alarm-table",1,"data-table","alarm-list",3,"matSortChange","matSortActive","matSortDirection"],[1,"visually-hidden"],["scope","col","mat-sort-header","severity"],["scope","col","mat-sort-header","dam"],["scope","col"],["scope","col","mat-sort-header","state"],["scope","col","mat-sort-header","raised"],["data-testid","alarm-row",3,"selected","unacked"],["data-testid","alarm-row",3,"click","focus"],[1,"cell"],[3,"severity"],[1,"condition"],[1,"muted"],[1,"state"],["aria-hidden","true",3,"svgIcon"],["role","timer","data-testid","countdown",1,"escalation",3,"due"],["data-testid","cascade",1,"cascade"],[1,"cell","actions-cell"],["data-testid","read-only",1,"muted"],["svgIcon","comment","aria-hidden","true",1,"small"],["role","timer","data-testid","countdown",1,"escalation"],["svgIcon","timer","aria-hidden","true",1,"small"],["data-testid","cascade-reason",1,"muted"],["svgIcon","person","aria-hidden","true",1,"small"],["mat-stroked-button","","type","button",3,"click","disabled"],["svgIcon","comment","aria-hidden","true"],["mat-stroked-button","","type","button",3,"disabled"],["mat-flat-button","","type","button","data-testid","ack",1,"ack",3,"click","disabled"],["svgIcon","check","aria-hidden","true"],["svgIcon","play_arrow","aria-hidden","true"],["svgIcon","pause","aria-hidden","true"],["svgIcon","check_circle","aria-hidden","true"]],template:function(e,t){if(e&1&&(s(0,"div",1)(1,"h1",2),m(2),u(3,"t"),l(),s(4,"button",3),v("click",function(){return t.showHelp.set(!t.showHelp())}),M(5,"mat-icon",4),m(6),u(7,"t"),l()(),y(8,zn,5,3,"section",5),y(9,Un,8,6,"div",6)(10,$n,8,6,"div",7),y(11,ua,34,31)),e&2){let n;r(2),g(h(3,6,"alarms.title")),r(2),w("aria-expanded",t.showHelp()),r(2),b("",h(7,8,"alarms.shortcuts")," "),r(2),C(t.showHelp()?8:-1),r(),C((n=t.alarms.status())==="missing"?9:n==="error"?10:-1),r(2),C(t.alarms.status()==="available"||t.alarms.alarms().length>0?11:-1)}},dependencies:[Vt,be,le,Ue,ze,Ve,$t,Ut,Je,Xe,Ye,Pi,ft,Bi,ri,ii,qe,ei,ti,Jt],styles:[".head[_ngcontent-%COMP%]{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:8px}.help[_ngcontent-%COMP%]{background:var(--mat-sys-surface-container);border-radius:12px;padding:8px 16px;margin-bottom:16px}.help[_ngcontent-%COMP%]   dl[_ngcontent-%COMP%]{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:4px 16px;margin:0}.help[_ngcontent-%COMP%]   div[_ngcontent-%COMP%]{display:flex;gap:8px;align-items:center}.help[_ngcontent-%COMP%]   dd[_ngcontent-%COMP%]{margin:0}kbd[_ngcontent-%COMP%]{font-family:ui-monospace,monospace;padding:2px 6px;border:1px solid var(--mat-sys-outline);border-radius:4px;background:var(--mat-sys-surface-container-highest)}.filters[_ngcontent-%COMP%]{display:flex;flex-wrap:wrap;gap:8px 12px;margin-top:8px}.count[_ngcontent-%COMP%]{color:var(--mat-sys-on-surface-variant)}.alarm-list[_ngcontent-%COMP%]   tbody[_ngcontent-%COMP%]   tr[_ngcontent-%COMP%]{cursor:pointer;outline-offset:-3px}.alarm-list[_ngcontent-%COMP%]   tbody[_ngcontent-%COMP%]   tr[_ngcontent-%COMP%]:hover{background:var(--mat-sys-surface-container)}.alarm-list[_ngcontent-%COMP%]   tbody[_ngcontent-%COMP%]   tr.selected[_ngcontent-%COMP%]{background:var(--mat-sys-secondary-container);color:var(--mat-sys-on-secondary-container);box-shadow:inset 4px 0 0 var(--mat-sys-primary)}.alarm-list[_ngcontent-%COMP%]   tbody[_ngcontent-%COMP%]   tr.unacked[_ngcontent-%COMP%]   td[_ngcontent-%COMP%]:first-child{box-shadow:inset 6px 0 0 var(--vigie-critical)}.condition[_ngcontent-%COMP%]{font-weight:600}.muted[_ngcontent-%COMP%]{color:var(--mat-sys-on-surface-variant);font:var(--mat-sys-body-small);display:flex;align-items:center;gap:4px}mat-icon.small[_ngcontent-%COMP%]{width:18px;height:18px}.state[_ngcontent-%COMP%]{display:inline-flex;align-items:center;gap:4px}.state.state-unacked[_ngcontent-%COMP%]{font-weight:700;color:var(--vigie-critical)}.escalation[_ngcontent-%COMP%]{display:inline-flex;align-items:center;gap:4px;margin-top:4px;font-variant-numeric:tabular-nums;font-weight:600}.escalation.due[_ngcontent-%COMP%]{color:var(--vigie-critical)}.actions-cell[_ngcontent-%COMP%]{display:flex;flex-wrap:wrap;gap:6px}.ack[_ngcontent-%COMP%]{--mat-button-filled-container-color: var(--vigie-critical);--mat-button-filled-label-text-color: var(--vigie-on-critical)}@media(max-width:799px){.alarm-list[_ngcontent-%COMP%]   thead[_ngcontent-%COMP%]{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}.alarm-list[_ngcontent-%COMP%]   tbody[_ngcontent-%COMP%]   tr[_ngcontent-%COMP%]{display:block;border:1px solid var(--mat-sys-outline-variant);border-radius:12px;margin-bottom:12px;padding:8px}.alarm-list[_ngcontent-%COMP%]   td[_ngcontent-%COMP%]{display:grid;grid-template-columns:7.5em 1fr;gap:8px;border:none;padding:6px 4px}.alarm-list[_ngcontent-%COMP%]   td[_ngcontent-%COMP%]:before{content:attr(data-label);font:var(--mat-sys-label-large);color:var(--mat-sys-on-surface-variant)}.alarm-list[_ngcontent-%COMP%]   td[_ngcontent-%COMP%]:last-child{display:block}.alarm-list[_ngcontent-%COMP%]   td[_ngcontent-%COMP%]:last-child:before{display:none}.alarm-list[_ngcontent-%COMP%]   .actions-cell[_ngcontent-%COMP%]   button[_ngcontent-%COMP%]{flex:1 1 auto}.alarm-list[_ngcontent-%COMP%]   app-severity-badge[_ngcontent-%COMP%]{justify-self:start}}.cascade[_ngcontent-%COMP%]{margin:4px 0 0;font-size:.9rem}.cascade[_ngcontent-%COMP%]   ul[_ngcontent-%COMP%]{list-style:none;margin:0;padding:0}.cascade[_ngcontent-%COMP%]   li[_ngcontent-%COMP%]{display:flex;align-items:center;gap:4px}"],changeDetection:0})};function fa(i){return i instanceof HTMLElement?i.isContentEditable||["INPUT","TEXTAREA","SELECT"].includes(i.tagName)||!!i.closest('[role="listbox"], mat-select'):!1}function _a(i,a,e,t){switch(i){case"severity":return we(a.severity)-we(e.severity);case"raised":return Date.parse(a.raised_at)-Date.parse(e.raised_at);case"dam":return t(a.dam??"").localeCompare(t(e.dam??""));case"state":return a.state.localeCompare(e.state)}return 0}export{Ni as AlarmConsole,ha as SHORTCUTS};
