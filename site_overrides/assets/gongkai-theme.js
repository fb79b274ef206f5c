/* gongkai: mkdocs-material's inline script of partials/javascripts/base.html (9.8.1) as a file, so
   that the Content-Security-Policy refuses every inline script. Material's bundle reads these
   globals. The site's root (__md_scope), which Material takes from the page's base_url, is worked
   out from this file's own address (<root>/assets/gongkai-theme.js): the same URL on every page. */
__md_scope=new URL("..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
