// Accessibility fixes to mdBook's own page (its "chrome"), not to this project's output.
//
// mdBook's sidebar toggle is a <label> for a hidden checkbox, yet it carries aria-expanded,
// aria-controls and aria-label, which a label may not have (axe-core: aria-allowed-attr and
// aria-prohibited-attr). It acts as a button, so it is given that role; as a button it is also
// reached by Tab and pressed with Enter or Space (a click on the label toggles its checkbox,
// which mdBook's own script listens to).
(function () {
  'use strict';
  const toggle = document.getElementById('mdbook-sidebar-toggle');
  if (!toggle || toggle.tagName !== 'LABEL') return; // mdBook changed it: nothing to fix
  toggle.setAttribute('role', 'button');
  if (!toggle.hasAttribute('tabindex')) toggle.tabIndex = 0;
  toggle.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      toggle.click();
    }
  });
})();
