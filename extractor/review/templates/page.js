(function () {
  var picker = document.getElementById('picker');
  function show(id) {
    document.querySelectorAll('section.doc').forEach(function (s) { s.hidden = s.id !== id; });
    if (picker) { picker.value = id; }
  }
  if (picker) {
    picker.addEventListener('change', function () { show(picker.value); window.scrollTo(0, 0); });
  }
  function activate(key, fromText) {
    var section = document.getElementById(key.split('-')[0]);
    if (section && section.hidden) { show(section.id); }
    document.querySelectorAll('.active, .active-ev').forEach(function (e) {
      e.classList.remove('active', 'active-ev');
    });
    var selector = '[data-key="' + CSS.escape(key) + '"]';
    // A position's matrix cell lights up with its list item, whichever of the two (or the text) was clicked.
    document.querySelectorAll(selector).forEach(function (e) { e.classList.add('active'); });
    var item = document.querySelector('.item' + selector);
    if (item && fromText) { item.scrollIntoView({block: 'nearest'}); }
    var spans = document.querySelectorAll('.s[data-keys~="' + CSS.escape(key) + '"]');
    var target = null;
    spans.forEach(function (s) {
      var weak = (' ' + (s.dataset.ev || '') + ' ').indexOf(' ' + key + ' ') >= 0;
      s.classList.add(weak ? 'active-ev' : 'active');
      s.classList.remove('flash');
      void s.offsetWidth;  // restart the animation on a second click
      s.classList.add('flash');
      if (!target && !weak) { target = s; }
    });
    target = target || spans[0];
    if (target && !fromText) { target.scrollIntoView({block: 'center', behavior: 'instant'}); }
    document.body.dataset.active = key;
  }
  window.claimscopeActivate = activate;
  document.addEventListener('click', function (event) {
    var item = event.target.closest('.item, .cell');
    if (item) { activate(item.dataset.key, false); return; }
    var segment = event.target.closest('.s');
    if (segment) {
      var keys = segment.dataset.keys.split(' ');
      var claim = keys.filter(function (k) { return /-(c|g)-/.test(k); })[0];
      activate(claim || keys[0], true);
    }
  });
  document.addEventListener('keydown', function (event) {
    var item = event.target.closest && event.target.closest('.item');
    if (item && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      activate(item.dataset.key, false);
    }
  });
  var hash = decodeURIComponent(location.hash.slice(1));
  if (hash.indexOf('doc=') === 0) { show(hash.slice(4)); }
  if (hash.indexOf('item=') === 0) { activate(hash.slice(5), false); }
})();
