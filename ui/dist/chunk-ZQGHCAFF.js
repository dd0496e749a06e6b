import{a as Ie,b as we}from"./chunk-LKQI5WQZ.js";import{b as ye,c as xe,g as Ce,j as ke,k as Bt}from"./chunk-K6IXDSC2.js";import{e as ge,g as ve}from"./chunk-MYM6VCU2.js";import{e as de}from"./chunk-ERY2OADW.js";import{q as Te}from"./chunk-KZY7UMWY.js";import{a as le}from"./chunk-DU44YN5B.js";import{$a as k,$b as J,A as Ht,Aa as a,Ab as U,Ad as he,Ba as rt,Bb as Xt,Ca as st,Cb as F,Cd as ue,Db as pt,Dd as fe,E as Vt,Ea as xt,Eb as d,Fb as m,Fc as It,Ga as Gt,Gb as u,Hb as bt,Jc as ee,Ka as H,Kc as ne,L as zt,La as qt,M as at,Ma as V,Mb as X,N as Qt,Nb as Q,O as q,Ob as W,Pa as K,Pb as Tt,Pc as ie,Qa as Ct,Qb as _t,Ra as Zt,Ub as c,Vb as p,Vc as ae,W as jt,Wb as g,Xc as oe,Y as j,Ya as Kt,Yc as re,Za as R,_,_a as C,ab as lt,ad as wt,bb as kt,bd as se,c as N,cb as I,da as E,db as w,e as Ft,ea as B,eb as f,ec as Jt,f as et,fb as o,gb as s,ha as yt,hb as P,hc as ht,ic as S,j as At,jc as ut,l as Ot,la as M,ld as gt,ma as Z,mb as z,md as Et,nd as ce,ob as T,p as nt,pa as O,qb as h,qd as me,ra as $t,rb as dt,rd as pe,sa as ot,sb as ct,tb as mt,tc as ft,td as be,ua as $,ub as Y,uc as te,ud as _e,va as Wt,vb as y,vd as vt,wb as x,x as Nt,yb as Yt,z as it,zb as Ut}from"./chunk-IWMYW4T5.js";var Rt=["*"];function ze(n,r){n&1&&ct(0)}var Qe=["tabListContainer"],je=["tabList"],$e=["tabListInner"],We=["nextPaginator"],Ge=["previousPaginator"],qe=["content"];function Ze(n,r){}var Ke=["tabBodyWrapper"],Ye=["tabHeader"];function Ue(n,r){}function Xe(n,r){if(n&1&&Ct(0,Ue,0,0,"ng-template",12),n&2){let t=h().$implicit;f("cdkPortalOutlet",t.templateLabel)}}function Je(n,r){if(n&1&&d(0),n&2){let t=h().$implicit;m(t.textLabel)}}function tn(n,r){if(n&1){let t=z();o(0,"div",7,2),T("click",function(){let i=E(t),l=i.$implicit,b=i.$index,D=h(),L=U(1);return B(D._handleClick(l,L,b))})("cdkFocusChange",function(i){let l=E(t).$index,b=h();return B(b._tabFocusChanged(i,l))}),P(2,"span",8)(3,"div",9),o(4,"span",10)(5,"span",11),C(6,Xe,1,1,null,12)(7,Je,1,1),s()()()}if(n&2){let t=r.$implicit,e=r.$index,i=U(1),l=h();pt(t.labelClass),F("mdc-tab--active",l.selectedIndex===e),f("id",l._getTabLabelId(t,e))("disabled",t.disabled)("fitInkBarToContent",l.fitInkBarToContent),R("tabIndex",l._getTabIndex(e))("aria-posinset",e+1)("aria-setsize",l._tabs.length)("aria-controls",l._getTabContentId(e))("aria-selected",l.selectedIndex===e)("aria-label",t.ariaLabel||null)("aria-labelledby",!t.ariaLabel&&t.ariaLabelledby?t.ariaLabelledby:null),a(3),f("matRippleTrigger",i)("matRippleDisabled",t.disabled||l.disableRipple),a(3),k(t.templateLabel?6:7)}}function en(n,r){n&1&&ct(0)}function nn(n,r){if(n&1){let t=z();o(0,"mat-tab-body",13),T("_onCentered",function(){E(t);let i=h();return B(i._removeTabBodyWrapperHeight())})("_onCentering",function(i){E(t);let l=h();return B(l._setTabBodyWrapperHeight(i))})("_beforeCentering",function(i){E(t);let l=h();return B(l._bodyCentered(i))}),s()}if(n&2){let t=r.$implicit,e=r.$index,i=h();pt(t.bodyClass),f("id",i._getTabContentId(e))("content",t.content)("position",t.position)("animationDuration",i.animationDuration)("preserveContent",i.preserveContent),R("tabindex",i.contentTabIndex!=null&&i.selectedIndex===e?i.contentTabIndex:null)("aria-labelledby",i._getTabLabelId(t,e))("aria-hidden",i.selectedIndex!==e)}}var an=new j("MatTabContent"),on=(()=>{class n{template=_(st);constructor(){}static \u0275fac=function(e){return new(e||n)};static \u0275dir=V({type:n,selectors:[["","matTabContent",""]],features:[X([{provide:an,useExisting:n}])]})}return n})(),rn=new j("MatTabLabel"),Se=new j("MAT_TAB"),sn=(()=>{class n extends ke{_closestTab=_(Se,{optional:!0});static \u0275fac=(()=>{let t;return function(i){return(t||(t=ot(n)))(i||n)}})();static \u0275dir=V({type:n,selectors:[["","mat-tab-label",""],["","matTabLabel",""]],features:[X([{provide:rn,useExisting:n}]),K]})}return n})(),De=new j("MAT_TAB_GROUP"),Lt=(()=>{class n{_viewContainerRef=_(Gt);_closestTabGroup=_(De,{optional:!0});disabled=!1;get templateLabel(){return this._templateLabel}set templateLabel(t){this._setTemplateLabelInput(t)}_templateLabel;_explicitContent=void 0;_implicitContent;textLabel="";ariaLabel;ariaLabelledby;labelClass;bodyClass;id=null;_contentPortal=null;get content(){return this._contentPortal}_stateChanges=new et;position=null;origin=null;isActive=!1;constructor(){_(ne).load(ce)}ngOnChanges(t){(t.hasOwnProperty("textLabel")||t.hasOwnProperty("disabled"))&&this._stateChanges.next()}ngOnDestroy(){this._stateChanges.complete()}ngOnInit(){this._contentPortal=new Ce(this._explicitContent||this._implicitContent,this._viewContainerRef)}_setTemplateLabelInput(t){t&&t._closestTab===this&&(this._templateLabel=t)}static \u0275fac=function(e){return new(e||n)};static \u0275cmp=H({type:n,selectors:[["mat-tab"]],contentQueries:function(e,i,l){if(e&1&&mt(l,sn,5)(l,on,7,st),e&2){let b;y(b=x())&&(i.templateLabel=b.first),y(b=x())&&(i._explicitContent=b.first)}},viewQuery:function(e,i){if(e&1&&Y(st,7),e&2){let l;y(l=x())&&(i._implicitContent=l.first)}},hostAttrs:["hidden",""],hostVars:1,hostBindings:function(e,i){e&2&&R("id",null)},inputs:{disabled:[2,"disabled","disabled",S],textLabel:[0,"label","textLabel"],ariaLabel:[0,"aria-label","ariaLabel"],ariaLabelledby:[0,"aria-labelledby","ariaLabelledby"],labelClass:"labelClass",bodyClass:"bodyClass",id:"id"},exportAs:["matTab"],features:[X([{provide:Se,useExisting:n}]),$t],ngContentSelectors:Rt,decls:1,vars:0,template:function(e,i){e&1&&(dt(),Zt(0,ze,1,0,"ng-template"))},encapsulation:2})}return n})(),Pt="mdc-tab-indicator--active",Ee="mdc-tab-indicator--no-transition",St=class{_items;_currentItem;constructor(r){this._items=r}hide(){this._items.forEach(r=>r.deactivateInkBar()),this._currentItem=void 0}alignToElement(r){let t=this._items.find(i=>i.elementRef.nativeElement===r),e=this._currentItem;if(t!==e&&(e?.deactivateInkBar(),t)){let i=e?.elementRef.nativeElement.getBoundingClientRect?.();t.activateInkBar(i),this._currentItem=t}}},ln=(()=>{class n{_elementRef=_($);_inkBarElement=null;_inkBarContentElement=null;_fitToContent=!1;get fitInkBarToContent(){return this._fitToContent}set fitInkBarToContent(t){this._fitToContent!==t&&(this._fitToContent=t,this._inkBarElement&&this._appendInkBarElement())}activateInkBar(t){let e=this._elementRef.nativeElement;if(!t||!e.getBoundingClientRect||!this._inkBarContentElement){e.classList.add(Pt);return}let i=e.getBoundingClientRect(),l=t.width/i.width,b=t.left-i.left;e.classList.add(Ee),this._inkBarContentElement.style.setProperty("transform",`translateX(${b}px) scaleX(${l})`),e.getBoundingClientRect(),e.classList.remove(Ee),e.classList.add(Pt),this._inkBarContentElement.style.setProperty("transform","")}deactivateInkBar(){this._elementRef.nativeElement.classList.remove(Pt)}ngOnInit(){this._createInkBarElement()}ngOnDestroy(){this._inkBarElement?.remove(),this._inkBarElement=this._inkBarContentElement=null}_createInkBarElement(){let t=this._elementRef.nativeElement.ownerDocument||document,e=this._inkBarElement=t.createElement("span"),i=this._inkBarContentElement=t.createElement("span");e.className="mdc-tab-indicator",i.className="mdc-tab-indicator__content mdc-tab-indicator__content--underline",e.appendChild(this._inkBarContentElement),this._appendInkBarElement()}_appendInkBarElement(){this._inkBarElement;let t=this._fitToContent?this._elementRef.nativeElement.querySelector(".mdc-tab__content"):this._elementRef.nativeElement;t.appendChild(this._inkBarElement)}static \u0275fac=function(e){return new(e||n)};static \u0275dir=V({type:n,inputs:{fitInkBarToContent:[2,"fitInkBarToContent","fitInkBarToContent",S]}})}return n})();var Me=(()=>{class n extends ln{elementRef=_($);disabled=!1;focus(){this.elementRef.nativeElement.focus()}getOffsetLeft(){return this.elementRef.nativeElement.offsetLeft}getOffsetWidth(){return this.elementRef.nativeElement.offsetWidth}static \u0275fac=(()=>{let t;return function(i){return(t||(t=ot(n)))(i||n)}})();static \u0275dir=V({type:n,selectors:[["","matTabLabelWrapper",""]],hostVars:3,hostBindings:function(e,i){e&2&&(R("aria-disabled",!!i.disabled),F("mat-mdc-tab-disabled",i.disabled))},inputs:{disabled:[2,"disabled","disabled",S]},features:[K]})}return n})(),Be={passive:!0},dn=650,cn=100,mn=(()=>{class n{_elementRef=_($);_changeDetectorRef=_(ht);_viewportRuler=_(xe);_dir=_(wt,{optional:!0});_ngZone=_(Z);_platform=_(It);_sharedResizeObserver=_(le);_injector=_(yt);_renderer=_(xt);_animationsDisabled=gt();_eventCleanups;_scrollDistance=0;_selectedIndexChanged=!1;_destroyed=new et;_showPaginationControls=!1;_disableScrollAfter=!0;_disableScrollBefore=!0;_tabLabelCount;_scrollDistanceChanged=!1;_keyManager;_currentTextContent;_stopScrolling=new et;disablePagination=!1;get selectedIndex(){return this._selectedIndex}set selectedIndex(t){let e=isNaN(t)?0:t;this._selectedIndex!=e&&(this._selectedIndexChanged=!0,this._selectedIndex=e,this._keyManager&&this._keyManager.updateActiveItem(e))}_selectedIndex=0;selectFocusedIndex=new M;indexFocused=new M;constructor(){this._eventCleanups=this._ngZone.runOutsideAngular(()=>[this._renderer.listen(this._elementRef.nativeElement,"mouseleave",()=>this._stopInterval())])}ngAfterViewInit(){this._eventCleanups.push(this._renderer.listen(this._previousPaginator.nativeElement,"touchstart",()=>this._handlePaginatorPress("before"),Be),this._renderer.listen(this._nextPaginator.nativeElement,"touchstart",()=>this._handlePaginatorPress("after"),Be))}ngAfterContentInit(){let t=this._dir?this._dir.change:Ot("ltr"),e=this._sharedResizeObserver.observe(this._elementRef.nativeElement).pipe(Vt(32),q(this._destroyed)),i=this._viewportRuler.change(150).pipe(q(this._destroyed)),l=()=>{this.updatePagination(),this._alignInkBarToSelectedTab()};this._keyManager=new oe(this._items).withHorizontalOrientation(this._getLayoutDirection()).withHomeAndEnd().withWrap().skipPredicate(()=>!1),this._keyManager.updateActiveItem(Math.max(this._selectedIndex,0)),rt(l,{injector:this._injector}),it(t,i,e,this._items.changes,this._itemsResized()).pipe(q(this._destroyed)).subscribe(()=>{this._ngZone.run(()=>{Promise.resolve().then(()=>{this._scrollDistance=Math.max(0,Math.min(this._getMaxScrollDistance(),this._scrollDistance)),l()})}),this._keyManager?.withHorizontalOrientation(this._getLayoutDirection())}),this._keyManager.change.subscribe(b=>{this.indexFocused.emit(b),this._setTabFocus(b)})}_itemsResized(){return typeof ResizeObserver!="function"?At:this._items.changes.pipe(at(this._items),Qt(t=>new Ft(e=>this._ngZone.runOutsideAngular(()=>{let i=new ResizeObserver(l=>e.next(l));return t.forEach(l=>i.observe(l.elementRef.nativeElement)),()=>{i.disconnect()}}))),zt(1),Ht(t=>t.some(e=>e.contentRect.width>0&&e.contentRect.height>0)))}ngAfterContentChecked(){this._tabLabelCount!=this._items.length&&(this.updatePagination(),this._tabLabelCount=this._items.length,this._changeDetectorRef.markForCheck()),this._selectedIndexChanged&&(this._scrollToLabel(this._selectedIndex),this._checkScrollingControls(),this._alignInkBarToSelectedTab(),this._selectedIndexChanged=!1,this._changeDetectorRef.markForCheck()),this._scrollDistanceChanged&&(this._updateTabScrollPosition(),this._scrollDistanceChanged=!1,this._changeDetectorRef.markForCheck())}ngOnDestroy(){this._eventCleanups.forEach(t=>t()),this._keyManager?.destroy(),this._destroyed.next(),this._destroyed.complete(),this._stopScrolling.complete()}_handleKeydown(t){if(!ae(t))switch(t.keyCode){case 13:case 32:if(this.focusIndex!==this.selectedIndex){let e=this._items.get(this.focusIndex);e&&!e.disabled&&(this.selectFocusedIndex.emit(this.focusIndex),this._itemSelected(t))}break;default:this._keyManager?.onKeydown(t)}}_onContentChanges(){let t=this._elementRef.nativeElement.textContent;t!==this._currentTextContent&&(this._currentTextContent=t||"",this._ngZone.run(()=>{this.updatePagination(),this._alignInkBarToSelectedTab(),this._changeDetectorRef.markForCheck()}))}updatePagination(){this._checkPaginationEnabled(),this._checkScrollingControls(),this._updateTabScrollPosition()}get focusIndex(){return this._keyManager?this._keyManager.activeItemIndex:0}set focusIndex(t){!this._isValidIndex(t)||this.focusIndex===t||!this._keyManager||this._keyManager.setActiveItem(t)}_isValidIndex(t){return this._items?!!this._items.toArray()[t]:!0}_setTabFocus(t){if(this._showPaginationControls&&this._scrollToLabel(t),this._items&&this._items.length){this._items.toArray()[t].focus();let e=this._tabListContainer.nativeElement;this._getLayoutDirection()=="ltr"?e.scrollLeft=0:e.scrollLeft=e.scrollWidth-e.offsetWidth}}_getLayoutDirection(){return this._dir&&this._dir.value==="rtl"?"rtl":"ltr"}_updateTabScrollPosition(){if(this.disablePagination)return;let t=this.scrollDistance,e=this._getLayoutDirection()==="ltr"?-t:t;this._tabList.nativeElement.style.transform=`translateX(${Math.round(e)}px)`,(this._platform.TRIDENT||this._platform.EDGE)&&(this._tabListContainer.nativeElement.scrollLeft=0)}get scrollDistance(){return this._scrollDistance}set scrollDistance(t){this._scrollTo(t)}_scrollHeader(t){let e=this._tabListContainer.nativeElement.offsetWidth,i=(t=="before"?-1:1)*e/3;return this._scrollTo(this._scrollDistance+i)}_handlePaginatorClick(t){this._stopInterval(),this._scrollHeader(t)}_scrollToLabel(t){if(this.disablePagination)return;let e=this._items?this._items.toArray()[t]:null;if(!e)return;let i=this._tabListContainer.nativeElement.offsetWidth,{offsetLeft:l,offsetWidth:b}=e.elementRef.nativeElement,D,L;this._getLayoutDirection()=="ltr"?(D=l,L=D+b):(L=this._tabListInner.nativeElement.offsetWidth-l,D=L-b);let A=this.scrollDistance,v=this.scrollDistance+i;D<A?this.scrollDistance-=A-D:L>v&&(this.scrollDistance+=Math.min(L-v,D-A))}_checkPaginationEnabled(){if(this.disablePagination)this._showPaginationControls=!1;else{let t=this._tabListInner.nativeElement.scrollWidth,e=this._elementRef.nativeElement.offsetWidth,i=t-e>=5;i||(this.scrollDistance=0),i!==this._showPaginationControls&&(this._showPaginationControls=i,this._changeDetectorRef.markForCheck())}}_checkScrollingControls(){this.disablePagination?this._disableScrollAfter=this._disableScrollBefore=!0:(this._disableScrollBefore=this.scrollDistance==0,this._disableScrollAfter=this.scrollDistance==this._getMaxScrollDistance(),this._changeDetectorRef.markForCheck())}_getMaxScrollDistance(){let t=this._tabListInner.nativeElement.scrollWidth,e=this._tabListContainer.nativeElement.offsetWidth;return t-e||0}_alignInkBarToSelectedTab(){let t=this._items&&this._items.length?this._items.toArray()[this.selectedIndex]:null,e=t?t.elementRef.nativeElement:null;e?this._inkBar.alignToElement(e):this._inkBar.hide()}_stopInterval(){this._stopScrolling.next()}_handlePaginatorPress(t,e){e&&e.button!=null&&e.button!==0||(this._stopInterval(),Nt(dn,cn).pipe(q(it(this._stopScrolling,this._destroyed))).subscribe(()=>{let{maxScrollDistance:i,distance:l}=this._scrollHeader(t);(l===0||l>=i)&&this._stopInterval()}))}_scrollTo(t){if(this.disablePagination)return{maxScrollDistance:0,distance:0};let e=this._getMaxScrollDistance();return this._scrollDistance=Math.max(0,Math.min(e,t)),this._scrollDistanceChanged=!0,this._checkScrollingControls(),{maxScrollDistance:e,distance:this._scrollDistance}}static \u0275fac=function(e){return new(e||n)};static \u0275dir=V({type:n,inputs:{disablePagination:[2,"disablePagination","disablePagination",S],selectedIndex:[2,"selectedIndex","selectedIndex",ut]},outputs:{selectFocusedIndex:"selectFocusedIndex",indexFocused:"indexFocused"}})}return n})(),pn=(()=>{class n extends mn{_items;_tabListContainer;_tabList;_tabListInner;_nextPaginator;_previousPaginator;_inkBar;ariaLabel;ariaLabelledby;disableRipple=!1;ngAfterContentInit(){this._inkBar=new St(this._items),super.ngAfterContentInit()}_itemSelected(t){t.preventDefault()}static \u0275fac=(()=>{let t;return function(i){return(t||(t=ot(n)))(i||n)}})();static \u0275cmp=H({type:n,selectors:[["mat-tab-header"]],contentQueries:function(e,i,l){if(e&1&&mt(l,Me,4),e&2){let b;y(b=x())&&(i._items=b)}},viewQuery:function(e,i){if(e&1&&Y(Qe,7)(je,7)($e,7)(We,5)(Ge,5),e&2){let l;y(l=x())&&(i._tabListContainer=l.first),y(l=x())&&(i._tabList=l.first),y(l=x())&&(i._tabListInner=l.first),y(l=x())&&(i._nextPaginator=l.first),y(l=x())&&(i._previousPaginator=l.first)}},hostAttrs:[1,"mat-mdc-tab-header"],hostVars:4,hostBindings:function(e,i){e&2&&F("mat-mdc-tab-header-pagination-controls-enabled",i._showPaginationControls)("mat-mdc-tab-header-rtl",i._getLayoutDirection()=="rtl")},inputs:{ariaLabel:[0,"aria-label","ariaLabel"],ariaLabelledby:[0,"aria-labelledby","ariaLabelledby"],disableRipple:[2,"disableRipple","disableRipple",S]},features:[K],ngContentSelectors:Rt,decls:13,vars:10,consts:[["previousPaginator",""],["tabListContainer",""],["tabList",""],["tabListInner",""],["nextPaginator",""],["mat-ripple","",1,"mat-mdc-tab-header-pagination","mat-mdc-tab-header-pagination-before",3,"click","mousedown","touchend","matRippleDisabled"],[1,"mat-mdc-tab-header-pagination-chevron"],[1,"mat-mdc-tab-label-container",3,"keydown"],["role","tablist",1,"mat-mdc-tab-list",3,"cdkObserveContent"],[1,"mat-mdc-tab-labels"],["mat-ripple","",1,"mat-mdc-tab-header-pagination","mat-mdc-tab-header-pagination-after",3,"mousedown","click","touchend","matRippleDisabled"]],template:function(e,i){e&1&&(dt(),o(0,"div",5,0),T("click",function(){return i._handlePaginatorClick("before")})("mousedown",function(b){return i._handlePaginatorPress("before",b)})("touchend",function(){return i._stopInterval()}),P(2,"div",6),s(),o(3,"div",7,1),T("keydown",function(b){return i._handleKeydown(b)}),o(5,"div",8,2),T("cdkObserveContent",function(){return i._onContentChanges()}),o(7,"div",9,3),ct(9),s()()(),o(10,"div",10,4),T("mousedown",function(b){return i._handlePaginatorPress("after",b)})("click",function(){return i._handlePaginatorClick("after")})("touchend",function(){return i._stopInterval()}),P(12,"div",6),s()),e&2&&(F("mat-mdc-tab-header-pagination-disabled",i._disableScrollBefore),f("matRippleDisabled",i._disableScrollBefore||i.disableRipple),a(3),F("_mat-animation-noopable",i._animationsDisabled),a(2),R("aria-label",i.ariaLabel||null)("aria-labelledby",i.ariaLabelledby||null),a(5),F("mat-mdc-tab-header-pagination-disabled",i._disableScrollAfter),f("matRippleDisabled",i._disableScrollAfter||i.disableRipple))},dependencies:[Et,ie],styles:[`.mat-mdc-tab-header {
  display: flex;
  overflow: hidden;
  position: relative;
  flex-shrink: 0;
}

.mdc-tab-indicator .mdc-tab-indicator__content {
  transition-duration: var(--mat-tab-animation-duration, 250ms);
}

.mat-mdc-tab-header-pagination {
  -webkit-user-select: none;
  user-select: none;
  position: relative;
  display: none;
  justify-content: center;
  align-items: center;
  min-width: 32px;
  cursor: pointer;
  z-index: 2;
  -webkit-tap-highlight-color: transparent;
  touch-action: none;
  box-sizing: content-box;
  outline: 0;
}
.mat-mdc-tab-header-pagination::-moz-focus-inner {
  border: 0;
}
.mat-mdc-tab-header-pagination .mat-ripple-element {
  opacity: 0.12;
  background-color: var(--mat-tab-inactive-ripple-color, var(--mat-sys-on-surface));
}
.mat-mdc-tab-header-pagination-controls-enabled .mat-mdc-tab-header-pagination {
  display: flex;
}

.mat-mdc-tab-header-pagination-before,
.mat-mdc-tab-header-rtl .mat-mdc-tab-header-pagination-after {
  padding-left: 4px;
}
.mat-mdc-tab-header-pagination-before .mat-mdc-tab-header-pagination-chevron,
.mat-mdc-tab-header-rtl .mat-mdc-tab-header-pagination-after .mat-mdc-tab-header-pagination-chevron {
  transform: rotate(-135deg);
}

.mat-mdc-tab-header-rtl .mat-mdc-tab-header-pagination-before,
.mat-mdc-tab-header-pagination-after {
  padding-right: 4px;
}
.mat-mdc-tab-header-rtl .mat-mdc-tab-header-pagination-before .mat-mdc-tab-header-pagination-chevron,
.mat-mdc-tab-header-pagination-after .mat-mdc-tab-header-pagination-chevron {
  transform: rotate(45deg);
}

.mat-mdc-tab-header-pagination-chevron {
  border-style: solid;
  border-width: 2px 2px 0 0;
  height: 8px;
  width: 8px;
  border-color: var(--mat-tab-pagination-icon-color, var(--mat-sys-on-surface));
}

.mat-mdc-tab-header-pagination-disabled {
  box-shadow: none;
  cursor: default;
  pointer-events: none;
}
.mat-mdc-tab-header-pagination-disabled .mat-mdc-tab-header-pagination-chevron {
  opacity: 0.4;
}

.mat-mdc-tab-list {
  flex-grow: 1;
  position: relative;
  transition: transform 500ms cubic-bezier(0.35, 0, 0.25, 1);
}
._mat-animation-noopable .mat-mdc-tab-list {
  transition: none;
}

.mat-mdc-tab-label-container {
  display: flex;
  flex-grow: 1;
  overflow: hidden;
  z-index: 1;
  border-bottom-style: solid;
  border-bottom-width: var(--mat-tab-divider-height, 1px);
  border-bottom-color: var(--mat-tab-divider-color, var(--mat-sys-surface-variant));
}
.mat-mdc-tab-group-inverted-header .mat-mdc-tab-label-container {
  border-bottom: none;
  border-top-style: solid;
  border-top-width: var(--mat-tab-divider-height, 1px);
  border-top-color: var(--mat-tab-divider-color, var(--mat-sys-surface-variant));
}

.mat-mdc-tab-labels {
  display: flex;
  flex: 1 0 auto;
}
[mat-align-tabs=center] > .mat-mdc-tab-header .mat-mdc-tab-labels {
  justify-content: center;
}
[mat-align-tabs=end] > .mat-mdc-tab-header .mat-mdc-tab-labels {
  justify-content: flex-end;
}
.cdk-drop-list .mat-mdc-tab-labels, .mat-mdc-tab-labels.cdk-drop-list {
  min-height: var(--mat-tab-container-height, 48px);
}

.mat-mdc-tab::before {
  margin: 5px;
}
@media (forced-colors: active) {
  .mat-mdc-tab[aria-disabled=true] {
    color: GrayText;
  }
}
`],encapsulation:2})}return n})(),bn=new j("MAT_TABS_CONFIG"),Pe=(()=>{class n extends Bt{_host=_(Dt);_ngZone=_(Z);_centeringSub=N.EMPTY;_leavingSub=N.EMPTY;constructor(){super()}ngOnInit(){super.ngOnInit(),this._centeringSub=this._host._beforeCentering.pipe(at(this._host._isCenterPosition())).subscribe(t=>{this._host._content&&t&&!this.hasAttached()&&this._ngZone.run(()=>{Promise.resolve().then(),this.attach(this._host._content)})}),this._leavingSub=this._host._afterLeavingCenter.subscribe(()=>{this._host.preserveContent||this._ngZone.run(()=>this.detach())})}ngOnDestroy(){super.ngOnDestroy(),this._centeringSub.unsubscribe(),this._leavingSub.unsubscribe()}static \u0275fac=function(e){return new(e||n)};static \u0275dir=V({type:n,selectors:[["","matTabBodyHost",""]],features:[K]})}return n})(),Dt=(()=>{class n{_elementRef=_($);_dir=_(wt,{optional:!0});_ngZone=_(Z);_injector=_(yt);_renderer=_(xt);_diAnimationsDisabled=gt();_eventCleanups;_initialized=!1;_fallbackTimer;_positionIndex;_dirChangeSubscription=N.EMPTY;_position;_previousPosition;_onCentering=new M;_beforeCentering=new M;_afterLeavingCenter=new M;_onCentered=new M(!0);_portalHost;_contentElement;_content;animationDuration="500ms";preserveContent=!1;set position(t){this._positionIndex=t,this._computePositionAnimationState()}constructor(){if(this._dir){let t=_(ht);this._dirChangeSubscription=this._dir.change.subscribe(e=>{this._computePositionAnimationState(e),t.markForCheck()})}}ngOnInit(){this._bindTransitionEvents(),this._position==="center"&&(this._setActiveClass(!0),rt(()=>this._onCentering.emit(this._elementRef.nativeElement.clientHeight),{injector:this._injector})),this._initialized=!0}ngOnDestroy(){clearTimeout(this._fallbackTimer),this._eventCleanups?.forEach(t=>t()),this._dirChangeSubscription.unsubscribe()}_bindTransitionEvents(){this._ngZone.runOutsideAngular(()=>{let t=this._elementRef.nativeElement,e=i=>{i.target===this._contentElement?.nativeElement&&(this._elementRef.nativeElement.classList.remove("mat-tab-body-animating"),i.type==="transitionend"&&this._transitionDone())};this._eventCleanups=[this._renderer.listen(t,"transitionstart",i=>{i.target===this._contentElement?.nativeElement&&(this._elementRef.nativeElement.classList.add("mat-tab-body-animating"),this._transitionStarted())}),this._renderer.listen(t,"transitionend",e),this._renderer.listen(t,"transitioncancel",e)]})}_transitionStarted(){clearTimeout(this._fallbackTimer);let t=this._position==="center";this._beforeCentering.emit(t),t&&this._onCentering.emit(this._elementRef.nativeElement.clientHeight)}_transitionDone(){this._position==="center"?this._onCentered.emit():this._previousPosition==="center"&&this._afterLeavingCenter.emit()}_setActiveClass(t){this._elementRef.nativeElement.classList.toggle("mat-mdc-tab-body-active",t)}_getLayoutDirection(){return this._dir&&this._dir.value==="rtl"?"rtl":"ltr"}_isCenterPosition(){return this._positionIndex===0}_computePositionAnimationState(t=this._getLayoutDirection()){this._previousPosition=this._position,this._positionIndex<0?this._position=t=="ltr"?"left":"right":this._positionIndex>0?this._position=t=="ltr"?"right":"left":this._position="center",this._animationsDisabled()?this._simulateTransitionEvents():this._initialized&&(this._position==="center"||this._previousPosition==="center")&&(clearTimeout(this._fallbackTimer),this._fallbackTimer=this._ngZone.runOutsideAngular(()=>setTimeout(()=>this._simulateTransitionEvents(),100)))}_simulateTransitionEvents(){this._transitionStarted(),rt(()=>this._transitionDone(),{injector:this._injector})}_animationsDisabled(){return this._diAnimationsDisabled||this.animationDuration==="0ms"||this.animationDuration==="0s"}static \u0275fac=function(e){return new(e||n)};static \u0275cmp=H({type:n,selectors:[["mat-tab-body"]],viewQuery:function(e,i){if(e&1&&Y(Pe,5)(qe,5),e&2){let l;y(l=x())&&(i._portalHost=l.first),y(l=x())&&(i._contentElement=l.first)}},hostAttrs:[1,"mat-mdc-tab-body"],hostVars:1,hostBindings:function(e,i){e&2&&R("inert",i._position==="center"?null:"")},inputs:{_content:[0,"content","_content"],animationDuration:"animationDuration",preserveContent:"preserveContent",position:"position"},outputs:{_onCentering:"_onCentering",_beforeCentering:"_beforeCentering",_onCentered:"_onCentered"},decls:3,vars:6,consts:[["content",""],["cdkScrollable","",1,"mat-mdc-tab-body-content"],["matTabBodyHost",""]],template:function(e,i){e&1&&(o(0,"div",1,0),Ct(2,Ze,0,0,"ng-template",2),s()),e&2&&F("mat-tab-body-content-left",i._position==="left")("mat-tab-body-content-right",i._position==="right")("mat-tab-body-content-can-animate",i._position==="center"||i._previousPosition==="center")},dependencies:[Pe,ye],styles:[`.mat-mdc-tab-body {
  top: 0;
  left: 0;
  right: 0;
  bottom: 0;
  position: absolute;
  display: block;
  overflow: hidden;
  outline: 0;
  flex-basis: 100%;
}
.mat-mdc-tab-body.mat-mdc-tab-body-active {
  position: relative;
  overflow-x: hidden;
  overflow-y: auto;
  z-index: 1;
  flex-grow: 1;
}
.mat-mdc-tab-group.mat-mdc-tab-group-dynamic-height .mat-mdc-tab-body.mat-mdc-tab-body-active {
  overflow-y: hidden;
}

.mat-mdc-tab-body-content {
  height: 100%;
  overflow: auto;
  transform: none;
  visibility: hidden;
}
.mat-tab-body-animating > .mat-mdc-tab-body-content, .mat-mdc-tab-body-active > .mat-mdc-tab-body-content {
  visibility: visible;
}
.mat-tab-body-animating > .mat-mdc-tab-body-content {
  min-height: 1px;
}
.mat-mdc-tab-group-dynamic-height .mat-mdc-tab-body-content {
  overflow: hidden;
}

.mat-tab-body-content-can-animate {
  transition: transform var(--mat-tab-animation-duration) 1ms cubic-bezier(0.35, 0, 0.25, 1);
}
.mat-mdc-tab-body-wrapper._mat-animation-noopable .mat-tab-body-content-can-animate {
  transition: none;
}

.mat-tab-body-content-left {
  transform: translate3d(-100%, 0, 0);
}

.mat-tab-body-content-right {
  transform: translate3d(100%, 0, 0);
}
`],encapsulation:2})}return n})(),Re=(()=>{class n{_elementRef=_($);_changeDetectorRef=_(ht);_ngZone=_(Z);_tabsSubscription=N.EMPTY;_tabLabelSubscription=N.EMPTY;_tabBodySubscription=N.EMPTY;_diAnimationsDisabled=gt();_allTabs;_tabBodies;_tabBodyWrapper;_tabHeader;_tabs=new Wt;_indexToSelect=0;_lastFocusedTabIndex=null;_tabBodyWrapperHeight=0;color;get fitInkBarToContent(){return this._fitInkBarToContent}set fitInkBarToContent(t){this._fitInkBarToContent=t,this._changeDetectorRef.markForCheck()}_fitInkBarToContent=!1;stretchTabs=!0;alignTabs=null;dynamicHeight=!1;get selectedIndex(){return this._selectedIndex}set selectedIndex(t){this._indexToSelect=isNaN(t)?null:t}_selectedIndex=null;headerPosition="above";get animationDuration(){return this._animationDuration}set animationDuration(t){let e=t+"";this._animationDuration=/^\d+$/.test(e)?t+"ms":e}_animationDuration;get contentTabIndex(){return this._contentTabIndex}set contentTabIndex(t){this._contentTabIndex=isNaN(t)?null:t}_contentTabIndex=null;disablePagination=!1;disableRipple=!1;preserveContent=!1;get backgroundColor(){return this._backgroundColor}set backgroundColor(t){let e=this._elementRef.nativeElement.classList;e.remove("mat-tabs-with-background",`mat-background-${this.backgroundColor}`),t&&e.add("mat-tabs-with-background",`mat-background-${t}`),this._backgroundColor=t}_backgroundColor;ariaLabel;ariaLabelledby;selectedIndexChange=new M;focusChange=new M;animationDone=new M;selectedTabChange=new M(!0);_groupId;_isServer=!_(It).isBrowser;constructor(){let t=_(bn,{optional:!0});this._groupId=_(re).getId("mat-tab-group-"),this.animationDuration=t&&t.animationDuration?t.animationDuration:"500ms",this.disablePagination=t&&t.disablePagination!=null?t.disablePagination:!1,this.dynamicHeight=t&&t.dynamicHeight!=null?t.dynamicHeight:!1,t?.contentTabIndex!=null&&(this.contentTabIndex=t.contentTabIndex),this.preserveContent=!!t?.preserveContent,this.fitInkBarToContent=t&&t.fitInkBarToContent!=null?t.fitInkBarToContent:!1,this.stretchTabs=t&&t.stretchTabs!=null?t.stretchTabs:!0,this.alignTabs=t&&t.alignTabs!=null?t.alignTabs:null}ngAfterContentChecked(){let t=this._indexToSelect=this._clampTabIndex(this._indexToSelect);if(this._selectedIndex!=t){let e=this._selectedIndex==null;if(!e){this.selectedTabChange.emit(this._createChangeEvent(t));let i=this._tabBodyWrapper.nativeElement;i.style.minHeight=i.clientHeight+"px"}Promise.resolve().then(()=>{this._tabs.forEach((i,l)=>i.isActive=l===t),e||(this.selectedIndexChange.emit(t),this._tabBodyWrapper.nativeElement.style.minHeight="")})}this._tabs.forEach((e,i)=>{e.position=i-t,this._selectedIndex!=null&&e.position==0&&!e.origin&&(e.origin=t-this._selectedIndex)}),this._selectedIndex!==t&&(this._selectedIndex=t,this._lastFocusedTabIndex=null,this._changeDetectorRef.markForCheck())}ngAfterContentInit(){this._subscribeToAllTabChanges(),this._subscribeToTabLabels(),this._tabsSubscription=this._tabs.changes.subscribe(()=>{let t=this._clampTabIndex(this._indexToSelect);if(t===this._selectedIndex){let e=this._tabs.toArray(),i;for(let l=0;l<e.length;l++)if(e[l].isActive){this._indexToSelect=this._selectedIndex=l,this._lastFocusedTabIndex=null,i=e[l];break}!i&&e[t]&&Promise.resolve().then(()=>{e[t].isActive=!0,this.selectedTabChange.emit(this._createChangeEvent(t))})}this._changeDetectorRef.markForCheck()})}ngAfterViewInit(){this._tabBodySubscription=this._tabBodies.changes.subscribe(()=>this._bodyCentered(!0))}_subscribeToAllTabChanges(){this._allTabs.changes.pipe(at(this._allTabs)).subscribe(t=>{this._tabs.reset(t.filter(e=>e._closestTabGroup===this||!e._closestTabGroup)),this._tabs.notifyOnChanges()})}ngOnDestroy(){this._tabs.destroy(),this._tabsSubscription.unsubscribe(),this._tabLabelSubscription.unsubscribe(),this._tabBodySubscription.unsubscribe()}realignInkBar(){this._tabHeader&&this._tabHeader._alignInkBarToSelectedTab()}updatePagination(){this._tabHeader&&this._tabHeader.updatePagination()}focusTab(t){let e=this._tabHeader;e&&(e.focusIndex=t)}_focusChanged(t){this._lastFocusedTabIndex=t,this.focusChange.emit(this._createChangeEvent(t))}_createChangeEvent(t){let e=new Mt;return e.index=t,this._tabs&&this._tabs.length&&(e.tab=this._tabs.toArray()[t]),e}_subscribeToTabLabels(){this._tabLabelSubscription&&this._tabLabelSubscription.unsubscribe(),this._tabLabelSubscription=it(...this._tabs.map(t=>t._stateChanges)).subscribe(()=>this._changeDetectorRef.markForCheck())}_clampTabIndex(t){return Math.min(this._tabs.length-1,Math.max(t||0,0))}_getTabLabelId(t,e){return t.id||`${this._groupId}-label-${e}`}_getTabContentId(t){return`${this._groupId}-content-${t}`}_setTabBodyWrapperHeight(t){if(!this.dynamicHeight||!this._tabBodyWrapperHeight){this._tabBodyWrapperHeight=t;return}let e=this._tabBodyWrapper.nativeElement;e.style.height=this._tabBodyWrapperHeight+"px",this._tabBodyWrapper.nativeElement.offsetHeight&&(e.style.height=t+"px")}_removeTabBodyWrapperHeight(){let t=this._tabBodyWrapper.nativeElement;this._tabBodyWrapperHeight=t.clientHeight,t.style.height="",this._ngZone.run(()=>this.animationDone.emit())}_handleClick(t,e,i){e.focusIndex=i,t.disabled||(this.selectedIndex=i)}_getTabIndex(t){let e=this._lastFocusedTabIndex??this.selectedIndex;return t===e?0:-1}_tabFocusChanged(t,e){t&&t!=="mouse"&&t!=="touch"&&(this._tabHeader.focusIndex=e)}_bodyCentered(t){t&&this._tabBodies?.forEach((e,i)=>e._setActiveClass(i===this._selectedIndex))}_animationsDisabled(){return this._diAnimationsDisabled||this.animationDuration==="0"||this.animationDuration==="0ms"}static \u0275fac=function(e){return new(e||n)};static \u0275cmp=H({type:n,selectors:[["mat-tab-group"]],contentQueries:function(e,i,l){if(e&1&&mt(l,Lt,5),e&2){let b;y(b=x())&&(i._allTabs=b)}},viewQuery:function(e,i){if(e&1&&Y(Ke,5)(Ye,5)(Dt,5),e&2){let l;y(l=x())&&(i._tabBodyWrapper=l.first),y(l=x())&&(i._tabHeader=l.first),y(l=x())&&(i._tabBodies=l)}},hostAttrs:[1,"mat-mdc-tab-group"],hostVars:11,hostBindings:function(e,i){e&2&&(R("mat-align-tabs",i.alignTabs),pt("mat-"+(i.color||"primary")),Xt("--mat-tab-animation-duration",i.animationDuration),F("mat-mdc-tab-group-dynamic-height",i.dynamicHeight)("mat-mdc-tab-group-inverted-header",i.headerPosition==="below")("mat-mdc-tab-group-stretch-tabs",i.stretchTabs))},inputs:{color:"color",fitInkBarToContent:[2,"fitInkBarToContent","fitInkBarToContent",S],stretchTabs:[2,"mat-stretch-tabs","stretchTabs",S],alignTabs:[0,"mat-align-tabs","alignTabs"],dynamicHeight:[2,"dynamicHeight","dynamicHeight",S],selectedIndex:[2,"selectedIndex","selectedIndex",ut],headerPosition:"headerPosition",animationDuration:"animationDuration",contentTabIndex:[2,"contentTabIndex","contentTabIndex",ut],disablePagination:[2,"disablePagination","disablePagination",S],disableRipple:[2,"disableRipple","disableRipple",S],preserveContent:[2,"preserveContent","preserveContent",S],backgroundColor:"backgroundColor",ariaLabel:[0,"aria-label","ariaLabel"],ariaLabelledby:[0,"aria-labelledby","ariaLabelledby"]},outputs:{selectedIndexChange:"selectedIndexChange",focusChange:"focusChange",animationDone:"animationDone",selectedTabChange:"selectedTabChange"},exportAs:["matTabGroup"],features:[X([{provide:De,useExisting:n}])],ngContentSelectors:Rt,decls:9,vars:8,consts:[["tabHeader",""],["tabBodyWrapper",""],["tabNode",""],[3,"indexFocused","selectFocusedIndex","selectedIndex","disableRipple","disablePagination","aria-label","aria-labelledby"],["role","tab","matTabLabelWrapper","","cdkMonitorElementFocus","",1,"mdc-tab","mat-mdc-tab","mat-focus-indicator",3,"id","mdc-tab--active","class","disabled","fitInkBarToContent"],[1,"mat-mdc-tab-body-wrapper"],["role","tabpanel",3,"id","class","content","position","animationDuration","preserveContent"],["role","tab","matTabLabelWrapper","","cdkMonitorElementFocus","",1,"mdc-tab","mat-mdc-tab","mat-focus-indicator",3,"click","cdkFocusChange","id","disabled","fitInkBarToContent"],[1,"mdc-tab__ripple"],["mat-ripple","",1,"mat-mdc-tab-ripple",3,"matRippleTrigger","matRippleDisabled"],[1,"mdc-tab__content"],[1,"mdc-tab__text-label"],[3,"cdkPortalOutlet"],["role","tabpanel",3,"_onCentered","_onCentering","_beforeCentering","id","content","position","animationDuration","preserveContent"]],template:function(e,i){e&1&&(dt(),o(0,"mat-tab-header",3,0),T("indexFocused",function(b){return i._focusChanged(b)})("selectFocusedIndex",function(b){return i.selectedIndex=b}),I(2,tn,8,17,"div",4,kt),s(),C(4,en,1,0),o(5,"div",5,1),I(7,nn,1,10,"mat-tab-body",6,kt),s()),e&2&&(f("selectedIndex",i.selectedIndex||0)("disableRipple",i.disableRipple)("disablePagination",i.disablePagination),Kt("aria-label",i.ariaLabel)("aria-labelledby",i.ariaLabelledby),a(2),w(i._tabs),a(2),k(i._isServer?4:-1),a(),F("_mat-animation-noopable",i._animationsDisabled()),a(2),w(i._tabs))},dependencies:[pn,Me,ee,Et,Bt,Dt],styles:[`.mdc-tab {
  min-width: 90px;
  padding: 0 24px;
  display: flex;
  flex: 1 0 auto;
  justify-content: center;
  box-sizing: border-box;
  border: none;
  outline: none;
  text-align: center;
  white-space: nowrap;
  cursor: pointer;
  z-index: 1;
  touch-action: manipulation;
}

.mdc-tab__content {
  display: flex;
  align-items: center;
  justify-content: center;
  height: inherit;
  pointer-events: none;
}

.mdc-tab__text-label {
  transition: 150ms color linear;
  display: inline-block;
  line-height: 1;
  z-index: 2;
}

.mdc-tab--active .mdc-tab__text-label {
  transition-delay: 100ms;
}

._mat-animation-noopable .mdc-tab__text-label {
  transition: none;
}

.mdc-tab-indicator {
  display: flex;
  position: absolute;
  top: 0;
  left: 0;
  justify-content: center;
  width: 100%;
  height: 100%;
  pointer-events: none;
  z-index: 1;
}

.mdc-tab-indicator__content {
  transition: var(--mat-tab-animation-duration, 250ms) transform cubic-bezier(0.4, 0, 0.2, 1);
  transform-origin: left;
  opacity: 0;
}

.mdc-tab-indicator__content--underline {
  align-self: flex-end;
  box-sizing: border-box;
  width: 100%;
  border-top-style: solid;
}

.mdc-tab-indicator--active .mdc-tab-indicator__content {
  opacity: 1;
}

._mat-animation-noopable .mdc-tab-indicator__content, .mdc-tab-indicator--no-transition .mdc-tab-indicator__content {
  transition: none;
}

.mat-mdc-tab-ripple.mat-mdc-tab-ripple {
  position: absolute;
  top: 0;
  left: 0;
  bottom: 0;
  right: 0;
  pointer-events: none;
}

.mat-mdc-tab {
  -webkit-tap-highlight-color: transparent;
  -webkit-font-smoothing: antialiased;
  -moz-osx-font-smoothing: grayscale;
  text-decoration: none;
  background: none;
  height: var(--mat-tab-container-height, 48px);
  font-family: var(--mat-tab-label-text-font, var(--mat-sys-title-small-font));
  font-size: var(--mat-tab-label-text-size, var(--mat-sys-title-small-size));
  letter-spacing: var(--mat-tab-label-text-tracking, var(--mat-sys-title-small-tracking));
  line-height: var(--mat-tab-label-text-line-height, var(--mat-sys-title-small-line-height));
  font-weight: var(--mat-tab-label-text-weight, var(--mat-sys-title-small-weight));
}
.mat-mdc-tab.mdc-tab {
  flex-grow: 0;
}
.mat-mdc-tab .mdc-tab-indicator__content--underline {
  border-color: var(--mat-tab-active-indicator-color, var(--mat-sys-primary));
  border-top-width: var(--mat-tab-active-indicator-height, 2px);
  border-radius: var(--mat-tab-active-indicator-shape, 0);
}
.mat-mdc-tab:hover .mdc-tab__text-label {
  color: var(--mat-tab-inactive-hover-label-text-color, var(--mat-sys-on-surface));
}
.mat-mdc-tab:focus .mdc-tab__text-label {
  color: var(--mat-tab-inactive-focus-label-text-color, var(--mat-sys-on-surface));
}
.mat-mdc-tab.mdc-tab--active .mdc-tab__text-label {
  color: var(--mat-tab-active-label-text-color, var(--mat-sys-on-surface));
}
.mat-mdc-tab.mdc-tab--active .mdc-tab__ripple::before,
.mat-mdc-tab.mdc-tab--active .mat-ripple-element {
  background-color: var(--mat-tab-active-ripple-color, var(--mat-sys-on-surface));
}
.mat-mdc-tab.mdc-tab--active:hover .mdc-tab__text-label {
  color: var(--mat-tab-active-hover-label-text-color, var(--mat-sys-on-surface));
}
.mat-mdc-tab.mdc-tab--active:hover .mdc-tab-indicator__content--underline {
  border-color: var(--mat-tab-active-hover-indicator-color, var(--mat-sys-primary));
}
.mat-mdc-tab.mdc-tab--active:focus .mdc-tab__text-label {
  color: var(--mat-tab-active-focus-label-text-color, var(--mat-sys-on-surface));
}
.mat-mdc-tab.mdc-tab--active:focus .mdc-tab-indicator__content--underline {
  border-color: var(--mat-tab-active-focus-indicator-color, var(--mat-sys-primary));
}
.mat-mdc-tab.mat-mdc-tab-disabled {
  opacity: 0.4;
  pointer-events: none;
}
.mat-mdc-tab.mat-mdc-tab-disabled .mdc-tab__content {
  pointer-events: none;
}
.mat-mdc-tab.mat-mdc-tab-disabled .mdc-tab__ripple::before,
.mat-mdc-tab.mat-mdc-tab-disabled .mat-ripple-element {
  background-color: var(--mat-tab-disabled-ripple-color, var(--mat-sys-on-surface-variant));
}
.mat-mdc-tab .mdc-tab__ripple::before {
  content: "";
  display: block;
  position: absolute;
  top: 0;
  left: 0;
  right: 0;
  bottom: 0;
  opacity: 0;
  pointer-events: none;
  background-color: var(--mat-tab-inactive-ripple-color, var(--mat-sys-on-surface));
}
.mat-mdc-tab .mdc-tab__text-label {
  color: var(--mat-tab-inactive-label-text-color, var(--mat-sys-on-surface));
  display: inline-flex;
  align-items: center;
}
.mat-mdc-tab .mdc-tab__content {
  position: relative;
  pointer-events: auto;
}
.mat-mdc-tab:hover .mdc-tab__ripple::before {
  opacity: 0.04;
}
.mat-mdc-tab.cdk-program-focused .mdc-tab__ripple::before, .mat-mdc-tab.cdk-keyboard-focused .mdc-tab__ripple::before {
  opacity: 0.12;
}
.mat-mdc-tab .mat-ripple-element {
  opacity: 0.12;
  background-color: var(--mat-tab-inactive-ripple-color, var(--mat-sys-on-surface));
}
.mat-mdc-tab-group.mat-mdc-tab-group-stretch-tabs > .mat-mdc-tab-header .mat-mdc-tab {
  flex-grow: 1;
}

.mat-mdc-tab-group {
  display: flex;
  flex-direction: column;
  max-width: 100%;
}
.mat-mdc-tab-group.mat-tabs-with-background > .mat-mdc-tab-header, .mat-mdc-tab-group.mat-tabs-with-background > .mat-mdc-tab-header-pagination {
  background-color: var(--mat-tab-background-color);
}
.mat-mdc-tab-group.mat-tabs-with-background.mat-primary > .mat-mdc-tab-header .mat-mdc-tab .mdc-tab__text-label {
  color: var(--mat-tab-foreground-color);
}
.mat-mdc-tab-group.mat-tabs-with-background.mat-primary > .mat-mdc-tab-header .mdc-tab-indicator__content--underline {
  border-color: var(--mat-tab-foreground-color);
}
.mat-mdc-tab-group.mat-tabs-with-background:not(.mat-primary) > .mat-mdc-tab-header .mat-mdc-tab:not(.mdc-tab--active) .mdc-tab__text-label {
  color: var(--mat-tab-foreground-color);
}
.mat-mdc-tab-group.mat-tabs-with-background:not(.mat-primary) > .mat-mdc-tab-header .mat-mdc-tab:not(.mdc-tab--active) .mdc-tab-indicator__content--underline {
  border-color: var(--mat-tab-foreground-color);
}
.mat-mdc-tab-group.mat-tabs-with-background > .mat-mdc-tab-header .mat-mdc-tab-header-pagination-chevron,
.mat-mdc-tab-group.mat-tabs-with-background > .mat-mdc-tab-header .mat-focus-indicator::before, .mat-mdc-tab-group.mat-tabs-with-background > .mat-mdc-tab-header-pagination .mat-mdc-tab-header-pagination-chevron,
.mat-mdc-tab-group.mat-tabs-with-background > .mat-mdc-tab-header-pagination .mat-focus-indicator::before {
  border-color: var(--mat-tab-foreground-color);
}
.mat-mdc-tab-group.mat-tabs-with-background > .mat-mdc-tab-header .mat-ripple-element, .mat-mdc-tab-group.mat-tabs-with-background > .mat-mdc-tab-header .mdc-tab__ripple::before, .mat-mdc-tab-group.mat-tabs-with-background > .mat-mdc-tab-header-pagination .mat-ripple-element, .mat-mdc-tab-group.mat-tabs-with-background > .mat-mdc-tab-header-pagination .mdc-tab__ripple::before {
  background-color: var(--mat-tab-foreground-color);
}
.mat-mdc-tab-group.mat-tabs-with-background > .mat-mdc-tab-header .mat-mdc-tab-header-pagination-chevron, .mat-mdc-tab-group.mat-tabs-with-background > .mat-mdc-tab-header-pagination .mat-mdc-tab-header-pagination-chevron {
  color: var(--mat-tab-foreground-color);
}
.mat-mdc-tab-group.mat-mdc-tab-group-inverted-header {
  flex-direction: column-reverse;
}
.mat-mdc-tab-group.mat-mdc-tab-group-inverted-header .mdc-tab-indicator__content--underline {
  align-self: flex-start;
}

.mat-mdc-tab-body-wrapper {
  position: relative;
  overflow: hidden;
  display: flex;
  transition: height 500ms cubic-bezier(0.35, 0, 0.25, 1);
}
.mat-mdc-tab-body-wrapper._mat-animation-noopable {
  transition: none !important;
  animation: none !important;
}
`],encapsulation:2})}return n})(),Mt=class{index;tab};var Le=(()=>{class n{static \u0275fac=function(e){return new(e||n)};static \u0275mod=qt({type:n});static \u0275inj=jt({imports:[se]})}return n})();var hn=["editor"],un=()=>({return:"/config"}),fn=n=>({source:n}),tt=()=>[],gn=(n,r)=>({at:n,by:r}),vn=(n,r,t)=>({members:n,weekday:r,at:t}),yn=(n,r,t)=>({who:n,from:r,to:t}),xn=(n,r)=>({dams:n,severities:r}),Cn=(n,r,t)=>({targets:n,channels:r,wait:t}),kn=n=>({every:n}),Tn=n=>({at:n}),Oe=n=>({n}),G=(n,r)=>r.id,In=(n,r)=>r.name;function wn(n,r){n&1&&(o(0,"a",6),d(1),c(2,"t"),s()),n&2&&(f("queryParams",Q(4,un)),a(),m(p(2,2,"login.submit")))}function En(n,r){if(n&1&&(o(0,"div",2),P(1,"mat-icon",5),o(2,"span"),d(3),c(4,"t"),s(),C(5,wn,3,5,"a",6),s()),n&2){let t=h();a(3),m(p(4,2,"config.adminOnly")),a(2),k(t.session.info()?-1:5)}}function Bn(n,r){if(n&1){let t=z();o(0,"div",3),P(1,"mat-icon",7),o(2,"span"),d(3),c(4,"t"),s(),o(5,"button",8),T("click",function(){E(t);let i=h();return B(i.load())}),d(6),c(7,"t"),s()()}n&2&&(a(3),m(p(4,2,r===501?"config.unavailable":"config.loadError")),a(3),m(p(7,4,"action.retry")))}function Pn(n,r){if(n&1&&(d(0),c(1,"datetime"),c(2,"t")),n&2){let t=h();u(" \u2014 ",g(2,4,"config.appliedBy",Tt(7,gn,g(1,1,t.applied_at,"short"),t.applied_by??""))," ")}}function Sn(n,r){if(n&1&&(o(0,"div")(1,"dt"),d(2),c(3,"t"),s(),o(4,"dd"),d(5),c(6,"num"),s()()),n&2){let t=h().$implicit;a(2),m(p(3,2,"config.dyke")),a(3),u("",g(6,4,t.dyke_height_m,2)," m")}}function Dn(n,r){if(n&1&&(o(0,"tr")(1,"td"),d(2),s(),o(3,"td"),d(4),c(5,"num"),s(),o(6,"td"),d(7),c(8,"t"),s(),o(9,"td"),d(10),c(11,"num"),s(),o(12,"td"),d(13),s()()),n&2){let t=r.$implicit;a(2),m(t.name),a(2),u("",g(5,6,t.level_m,2)," m"),a(3),m(p(8,9,"severity."+t.severity)),a(3),u("",g(11,11,t.deadband_m,2)," m"),a(3),bt("",t.on_delay," / ",t.off_delay)}}function Mn(n,r){if(n&1&&(o(0,"tr")(1,"td"),d(2),s(),o(3,"td"),d(4),s(),o(5,"td"),d(6),c(7,"num"),c(8,"num"),s(),o(9,"td"),d(10),s(),o(11,"td"),d(12),s()()),n&2){let t=r.$implicit;a(2),m(t.id),a(2),bt("",t.kind," (",t.unit,")"),a(2),bt("",g(7,7,t.plausible_range[0],2)," \u2026 ",g(8,10,t.plausible_range[1],2)),a(4),m(t.period),a(2),m(t.stale_after)}}function Rn(n,r){if(n&1&&(o(0,"section",12)(1,"h2",28),d(2),o(3,"span",17),d(4),s()(),o(5,"dl",29)(6,"div")(7,"dt"),d(8),c(9,"t"),s(),o(10,"dd"),d(11),c(12,"num"),s()(),o(13,"div")(14,"dt"),d(15),c(16,"t"),s(),o(17,"dd"),d(18),c(19,"num"),s()(),C(20,Sn,7,7,"div"),o(21,"div")(22,"dt"),d(23),c(24,"t"),s(),o(25,"dd"),d(26),s()(),o(27,"div")(28,"dt"),d(29),c(30,"t"),s(),o(31,"dd"),d(32),s()()(),o(33,"table",13)(34,"caption"),d(35),c(36,"t"),s(),o(37,"thead")(38,"tr")(39,"th",14),d(40),c(41,"t"),s(),o(42,"th",14),d(43),c(44,"t"),s(),o(45,"th",14),d(46),c(47,"t"),s(),o(48,"th",14),d(49),c(50,"t"),s(),o(51,"th",14),d(52),c(53,"t"),s()()(),o(54,"tbody"),I(55,Dn,14,14,"tr",null,In),s()(),o(57,"table",13)(58,"caption"),d(59),c(60,"t"),s(),o(61,"thead")(62,"tr")(63,"th",14),d(64),c(65,"t"),s(),o(66,"th",14),d(67),c(68,"t"),s(),o(69,"th",14),d(70),c(71,"t"),s(),o(72,"th",14),d(73),c(74,"t"),s(),o(75,"th",14),d(76),c(77,"t"),s()()(),o(78,"tbody"),I(79,Mn,13,13,"tr",null,G),s()()()),n&2){let t=r.$implicit,e=h(2);R("aria-labelledby","dam-"+t.id),a(),f("id","dam-"+t.id),a(),u(" ",t.name," "),a(2),u("(",t.id,")"),a(4),m(p(9,25,"config.capacity")),a(3),u("",g(12,27,t.capacity_m3,0)," m\xB3"),a(4),m(p(16,30,"config.crest")),a(3),u("",g(19,32,t.spillway_crest_m,2)," m"),a(2),k(t.dyke_height_m?20:-1),a(3),m(p(24,35,"config.curve")),a(3),m(e.curve(t)),a(3),m(p(30,37,"config.alarmRules")),a(3),m(e.alarmRules(t).join(", ")||"\u2014"),a(3),u(" ",p(36,39,"config.thresholds")," "),a(5),m(p(41,41,"config.name")),a(3),m(p(44,43,"config.level")),a(3),m(p(47,45,"detail.severity")),a(3),m(p(50,47,"config.deadband")),a(3),m(p(53,49,"config.delays")),a(3),w(t.thresholds),a(4),u(" ",p(60,51,"config.sensors")," "),a(5),m(p(65,53,"config.id")),a(3),m(p(68,55,"config.kind")),a(3),m(p(71,57,"config.plausible")),a(3),m(p(74,59,"config.period")),a(3),m(p(77,61,"config.staleAfter")),a(3),w(t.sensors)}}function Ln(n,r){if(n&1&&(o(0,"tr")(1,"td"),d(2),s(),o(3,"td"),d(4),s(),o(5,"td"),d(6),s(),o(7,"td"),d(8),s()()),n&2){let t=r.$implicit;a(2),m(t.name),a(2),m(t.phone),a(2),m(t.email??"\u2014"),a(2),m(t.role)}}function Fn(n,r){if(n&1&&(o(0,"p",17),d(1),c(2,"t"),s()),n&2){let t=r.$implicit,e=h(3);a(),u(" ",g(2,1,"config.override",_t(4,yn,e.operatorName(t.operator),t.from,t.to))," ")}}function An(n,r){if(n&1&&(o(0,"section",12)(1,"h2"),d(2),s(),o(3,"p"),d(4),c(5,"t"),s(),I(6,Fn,3,8,"p",17,lt),s()),n&2){let t=r.$implicit,e=h(2);a(2),m(t.name||t.id),a(2),u(" ",g(5,2,"config.rotation",_t(5,vn,e.members(t.members),t.handover.weekday,t.handover.at))," "),a(2),w(t.overrides)}}function On(n,r){if(n&1&&(o(0,"li"),d(1),c(2,"t"),s()),n&2){let t=r.$implicit;a(),u(" ",g(2,1,"config.step",_t(4,Cn,t.targets.join(", "),t.channels.join(", "),t.wait_for_ack??"\u2014"))," ")}}function Nn(n,r){if(n&1&&(o(0,"p",17),d(1),c(2,"t"),s()),n&2){let t=h().$implicit;a(),m(g(2,1,"config.repeat",W(4,kn,t.repeat_last_every)))}}function Hn(n,r){if(n&1&&(o(0,"section",12)(1,"h2"),d(2),s(),o(3,"p"),d(4),c(5,"t"),s(),o(6,"ol",30),I(7,On,3,8,"li",null,lt),s(),C(9,Nn,3,6,"p",17),s()),n&2){let t=r.$implicit,e=h(2);a(2),m(t.id),a(2),u(" ",g(5,3,"config.appliesTo",Tt(6,xn,e.dams(t.applies_to.dams),t.applies_to.severities.join(", ")))," "),a(3),w(t.steps),a(2),k(t.repeat_last_every?9:-1)}}function Vn(n,r){n&1&&(o(0,"p",15),d(1),c(2,"t"),s()),n&2&&(a(),m(p(2,1,"config.noPolicy")))}function zn(n,r){if(n&1&&(o(0,"tr")(1,"td"),d(2),s(),o(3,"td"),d(4),s(),o(5,"td"),d(6),s(),o(7,"td"),d(8),c(9,"datetime"),s(),o(10,"td"),d(11),c(12,"datetime"),c(13,"t"),c(14,"t"),s()()),n&2){let t=r.$implicit;a(2),m(t.name),a(2),m(t.role),a(2),m(t.sensors),a(2),m(g(9,5,t.created_at,"short")),a(3),u(" ",t.revoked_at?g(13,11,"config.revoked",W(16,Tn,g(12,8,t.revoked_at,"short"))):p(14,14,"config.valid")," ")}}function Qn(n,r){n&1&&(o(0,"tr")(1,"td",31),d(2),c(3,"t"),s()()),n&2&&(a(2),m(p(3,1,"config.noKey")))}function jn(n,r){n&1&&(o(0,"p",18),P(1,"mat-icon",5),d(2),c(3,"t"),s()),n&2&&(a(2),u("",p(3,1,"config.readOnly")," "))}function $n(n,r){n&1&&(o(0,"p",3),P(1,"mat-icon",7),d(2),s()),n&2&&(a(2),u("",r," "))}function Wn(n,r){n&1&&(d(0),c(1,"t")),n&2&&u(" ",p(1,1,"config.restart")," ")}function Gn(n,r){if(n&1&&(o(0,"li"),d(1),s()),n&2){let t=r.$implicit;a(),m(t)}}function qn(n,r){if(n&1&&(o(0,"ul",34),I(1,Gn,2,1,"li",null,lt),s()),n&2){let t=h(2);a(),w(t.changes)}}function Zn(n,r){if(n&1&&(o(0,"p",32),P(1,"mat-icon",33),d(2),c(3,"t"),C(4,Wn,2,3),s(),C(5,qn,3,0,"ul",34)),n&2){let t=h();a(2),u(" ",g(3,3,t.applied?"config.applied":"config.valid.doc",W(6,Oe,t.changes.length))," "),a(2),k(t.restart_needed?4:-1),a(),k(t.changes.length?5:-1)}}function Kn(n,r){if(n&1){let t=z();o(0,"p",35),P(1,"mat-icon",7),d(2),c(3,"t"),s(),o(4,"app-config-problems",36),T("goTo",function(i){E(t);let l=h(3);return B(l.goTo(i))}),s()}if(n&2){let t=h();a(2),u("",g(3,2,"config.problems",W(5,Oe,t.problems.length))," "),a(2),f("problems",t.problems)}}function Yn(n,r){n&1&&(o(0,"div",27),C(1,Zn,6,8)(2,Kn,5,7),s()),n&2&&(a(),k(r.valid?1:2))}function Un(n,r){if(n&1){let t=z();o(0,"p",9),d(1),c(2,"t"),C(3,Pn,3,10),s(),o(4,"mat-tab-group",10),c(5,"t"),o(6,"mat-tab",11),c(7,"t"),I(8,Rn,81,63,"section",12,G),s(),o(10,"mat-tab",11),c(11,"t"),o(12,"table",13)(13,"caption"),d(14),c(15,"t"),s(),o(16,"thead")(17,"tr")(18,"th",14),d(19),c(20,"t"),s(),o(21,"th",14),d(22),c(23,"t"),s(),o(24,"th",14),d(25),c(26,"t"),s(),o(27,"th",14),d(28),c(29,"t"),s()()(),o(30,"tbody"),I(31,Ln,9,4,"tr",null,G),s()(),I(33,An,8,9,"section",12,G),s(),o(35,"mat-tab",11),c(36,"t"),I(37,Hn,10,9,"section",12,G,!1,Vn,3,3,"p",15),s(),o(40,"mat-tab",11),c(41,"t"),o(42,"table",16)(43,"caption"),d(44),c(45,"t"),s(),o(46,"thead")(47,"tr")(48,"th",14),d(49),c(50,"t"),s(),o(51,"th",14),d(52),c(53,"t"),s(),o(54,"th",14),d(55),c(56,"t"),s(),o(57,"th",14),d(58),c(59,"t"),s(),o(60,"th",14),d(61),c(62,"t"),s()()(),o(63,"tbody"),I(64,zn,15,18,"tr",null,G,!1,Qn,4,3,"tr"),s()(),o(67,"p",17),d(68),c(69,"t"),s()(),o(70,"mat-tab",11),c(71,"t"),o(72,"p",17),d(73),c(74,"t"),s(),C(75,jn,4,3,"p",18),o(76,"label",19),d(77),c(78,"t"),s(),o(79,"textarea",20,0),T("input",function(){E(t);let i=U(80),l=h();return B(l.onEdit(i.value))}),s(),o(81,"div",21)(82,"button",22),T("click",function(){E(t);let i=h();return B(i.runCheck())}),P(83,"mat-icon",23),d(84),c(85,"t"),s(),o(86,"button",24),T("click",function(){E(t);let i=h();return B(i.apply())}),P(87,"mat-icon",25),d(88),c(89,"t"),s(),o(90,"button",26),T("click",function(){E(t);let i=h();return B(i.revert())}),d(91),c(92,"t"),s()(),C(93,$n,3,1,"p",3),C(94,Yn,3,1,"div",27),s()()}if(n&2){let t,e,i,l,b,D,L,A=r,v=h();a(),u(" ",g(2,34,"config.source",W(83,fn,A.source))," "),a(2),k(A.applied_at?3:-1),a(),R("aria-label",p(5,37,"config.title")),a(2),f("label",p(7,39,"config.tab.dams")),a(2),w(((t=v.doc())==null?null:t.dams)??Q(85,tt)),a(2),f("label",p(11,41,"config.tab.oncall")),a(4),u(" ",p(15,43,"config.operators")," "),a(5),m(p(20,45,"config.name")),a(3),m(p(23,47,"config.phone")),a(3),m(p(26,49,"config.email")),a(3),m(p(29,51,"config.role")),a(3),w(((e=v.doc())==null?null:e.operators)??Q(86,tt)),a(2),w(((i=v.doc())==null?null:i.rotations)??Q(87,tt)),a(2),f("label",p(36,53,"config.tab.escalation")),a(2),w(((l=v.doc())==null?null:l.escalation_policies)??Q(88,tt)),a(3),f("label",p(41,55,"config.tab.keys")),a(4),u(" ",p(45,57,"config.keys")," "),a(5),m(p(50,59,"config.name")),a(3),m(p(53,61,"config.role")),a(3),m(p(56,63,"config.keySensors")),a(3),m(p(59,65,"config.created")),a(3),m(p(62,67,"config.keyState")),a(3),w(A.api_keys??Q(89,tt)),a(4),m(p(69,69,"config.keysHelp")),a(2),f("label",p(71,71,"config.tab.edit")),a(3),m(p(74,73,"config.editHelp")),a(2),k(A.editable?-1:75),a(2),m(p(78,75,"config.yaml")),a(2),f("value",v.text()),a(3),f("disabled",v.busy()),a(2),u("",p(85,77,"config.check")," "),a(2),f("disabled",v.busy()||!v.dirty()||!A.editable||((b=v.current())==null?null:b.valid)!==!0),a(2),u("",p(89,79,"config.apply")," "),a(2),f("disabled",v.busy()||!v.dirty()),a(),u(" ",p(92,81,"config.revert")," "),a(2),k((D=v.applyError())?93:-1,D),a(),k((L=v.current())?94:-1,L)}}function Xn(n,r){n&1&&(o(0,"p",4),d(1),c(2,"t"),s()),n&2&&(a(),m(p(2,1,"config.loading")))}var Fe=class n{http=_(te);session=_(he);i18n=_(ue);snapshot=O(null);loadError=O(null);text=O("");check=O(null);checkedText=O(null);busy=O(!1);applyError=O(null);editor=Jt("editor");doc=J(()=>this.snapshot()?.document??null);dirty=J(()=>this.text()!==(this.snapshot()?.yaml??""));current=J(()=>this.checkedText()===this.text()?this.check():null);ngOnInit(){this.load()}async load(){try{let r=await nt(this.http.get(`${vt}/config`));this.snapshot.set(r),this.text.set(r.yaml),this.loadError.set(null)}catch(r){this.loadError.set(r instanceof ft?r.status:0)}}onEdit(r){this.text.set(r),this.applyError.set(null)}async runCheck(){let r=this.text();this.busy.set(!0);try{let t=await nt(this.http.post(`${vt}/config/check`,r,{headers:{"Content-Type":"application/yaml"}}));this.check.set(t),this.checkedText.set(r)}catch(t){this.applyError.set(Ae(t))}finally{this.busy.set(!1)}}async apply(){let r=this.text();this.busy.set(!0),this.applyError.set(null);try{let t=await nt(this.http.put(`${vt}/config`,r,{headers:{"Content-Type":"application/yaml"}}));this.check.set(t),this.checkedText.set(r),await this.load(),this.check.set(t),this.checkedText.set(this.text())}catch(t){t instanceof ft&&t.status===422&&t.error?.problems?(this.check.set(t.error),this.checkedText.set(r)):this.applyError.set(Ae(t))}finally{this.busy.set(!1)}}revert(){this.text.set(this.snapshot()?.yaml??""),this.check.set(null),this.applyError.set(null)}goTo(r){let t=this.editor()?.nativeElement;t&&r.line&&Ie(t,r.line,r.column||1)}curve(r){return r.storage_curve.power?this.i18n.t("config.curvePower",{a:r.storage_curve.power.a,b:r.storage_curve.power.b}):this.i18n.t("config.curveTable",{n:r.storage_curve.table?.length??0})}operatorName(r){return this.doc()?.operators?.find(t=>t.id===r)?.name??r}members(r){return r.map(t=>this.operatorName(t)).join(" \u2192 ")}alarmRules(r){return Object.entries(r.alarms??{}).filter(([,t])=>!!t).map(([t,e])=>`${this.i18n.t("config.alarm."+t)} (${this.i18n.t("severity."+String(e.severity??"unknown"))})`)}dams(r){return Array.isArray(r)?r.join(", "):this.i18n.t("config.allDams")}static \u0275fac=function(t){return new(t||n)};static \u0275cmp=H({type:n,selectors:[["app-config-page"]],viewQuery:function(t,e){t&1&&Yt(e.editor,hn,5),t&2&&Ut()},decls:7,vars:4,consts:[["editor",""],[1,"page-title"],["role","alert","data-testid","config-admin-only",1,"notice"],["role","alert",1,"notice","error"],["role","status"],["svgIcon","info","aria-hidden","true"],["mat-stroked-button","","routerLink","/login",3,"queryParams"],["svgIcon","error","aria-hidden","true"],["mat-stroked-button","","type","button",3,"click"],[1,"source"],["mat-stretch-tabs","false"],[3,"label"],[1,"block"],[1,"data"],["scope","col"],[1,"notice"],["data-testid","api-keys",1,"data"],[1,"muted"],["role","note",1,"notice"],["for","yaml",1,"visually-hidden"],["id","yaml","spellcheck","false","data-testid","config-yaml",1,"yaml",3,"input","value"],[1,"actions"],["mat-stroked-button","","type","button","data-testid","config-check",3,"click","disabled"],["svgIcon","done_all","aria-hidden","true"],["mat-flat-button","","type","button","data-testid","config-apply",3,"click","disabled"],["svgIcon","save","aria-hidden","true"],["mat-button","","type","button",3,"click","disabled"],["role","status","aria-live","polite","data-testid","config-verdict"],[3,"id"],[1,"facts"],[1,"steps"],["colspan","5"],[1,"notice","ok"],["svgIcon","check_circle","aria-hidden","true"],[1,"changes"],[1,"notice","error"],[3,"goTo","problems"]],template:function(t,e){if(t&1&&(o(0,"h1",1),d(1),c(2,"t"),s(),C(3,En,6,4,"div",2)(4,Bn,8,6,"div",3)(5,Un,95,90)(6,Xn,3,3,"p",4)),t&2){let i;a(),m(p(2,2,"config.title")),a(2),k(e.session.status()!=="unavailable"&&!e.session.isAdmin()?3:(i=e.loadError())?4:(i=e.snapshot())?5:6,i)}},dependencies:[we,Te,pe,me,_e,be,Le,Lt,Re,de,fe,ve,ge],styles:['@charset "UTF-8";.source[_ngcontent-%COMP%], .muted[_ngcontent-%COMP%]{color:var(--mat-sys-on-surface-variant)}.block[_ngcontent-%COMP%]{margin:16px 0 24px}.block[_ngcontent-%COMP%]   h2[_ngcontent-%COMP%]{font-size:1.2rem;margin:8px 0}.facts[_ngcontent-%COMP%]{display:flex;flex-wrap:wrap;gap:8px 32px;margin:0 0 12px}.facts[_ngcontent-%COMP%]   dt[_ngcontent-%COMP%]{font-size:.85rem;color:var(--mat-sys-on-surface-variant)}.facts[_ngcontent-%COMP%]   dd[_ngcontent-%COMP%]{margin:0;font-weight:500}table.data[_ngcontent-%COMP%]{border-collapse:collapse;width:100%;margin:8px 0 16px}table.data[_ngcontent-%COMP%]   caption[_ngcontent-%COMP%]{text-align:left;font-weight:500;padding:4px 0}table.data[_ngcontent-%COMP%]   th[_ngcontent-%COMP%], table.data[_ngcontent-%COMP%]   td[_ngcontent-%COMP%]{text-align:left;padding:8px;border-bottom:1px solid var(--mat-sys-outline-variant)}.yaml[_ngcontent-%COMP%]{width:100%;box-sizing:border-box;min-height:50vh;font:.95rem/1.45 ui-monospace,DejaVu Sans Mono,monospace;padding:12px;color:var(--mat-sys-on-surface);background:var(--mat-sys-surface-container);border:1px solid var(--mat-sys-outline);border-radius:8px;tab-size:2}.yaml[_ngcontent-%COMP%]:focus-visible{outline:3px solid var(--mat-sys-primary)}.actions[_ngcontent-%COMP%]{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}.actions[_ngcontent-%COMP%]   button[_ngcontent-%COMP%]{min-height:48px}.changes[_ngcontent-%COMP%]{padding-left:0;list-style:none}.changes[_ngcontent-%COMP%]   li[_ngcontent-%COMP%]:before{content:"\\2022  "}.steps[_ngcontent-%COMP%]   li[_ngcontent-%COMP%]{margin:4px 0}'],changeDetection:0})};function Ae(n){return n instanceof ft?n.error?.detail??n.statusText??String(n.status):String(n)}export{Fe as ConfigPage};
