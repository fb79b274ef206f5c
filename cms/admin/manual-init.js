// Decap starts only once the page's format and widgets are registered (gongkai-cms.js calls CMS.init).
window.CMS_MANUAL_INIT = true;
