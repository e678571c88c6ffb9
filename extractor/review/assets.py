"""Inline CSS and JavaScript of the review page (kept apart so the page module stays readable)."""

from __future__ import annotations

__all__ = ["PAGE_CSS", "PAGE_JS"]

PAGE_CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
  color:#1d1d1f;background:#f6f6f4}
header{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid #ddd;padding:.5rem 1rem;
  display:flex;gap:1rem 1.5rem;align-items:center;flex-wrap:wrap}
h1{font-size:1.05rem;margin:0}
h2{font-size:1.15rem;margin:1rem 0 .2rem}
h3{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:#555;margin:1rem 0 .3rem}
h3.gold{color:#a31919}
select{font:inherit;max-width:40rem}
.legend{margin:0;font-size:.82rem;display:flex;gap:.6rem;flex-wrap:wrap}
.facts{margin:0 0 .6rem;color:#666;font-size:.85rem}
.warnings{font-size:.8rem;color:#7a5b00;margin:.2rem 0 .6rem}
details{margin:.6rem 1rem}
pre{font-size:.78rem;overflow:auto;background:#fff;border:1px solid #e3e3e3;padding:.6rem;border-radius:6px}
section.doc{padding:0 1rem 3rem}
.cols{display:grid;grid-template-columns:minmax(0,3fr) minmax(300px,2fr);gap:1.25rem;align-items:start}
.article{white-space:pre-wrap;background:#fff;border:1px solid #e3e3e3;border-radius:6px;
  padding:1rem 1.25rem;line-height:1.85;font-size:1rem}
.side{position:sticky;top:4.5rem;max-height:calc(100vh - 5.5rem);overflow:auto;font-size:.88rem;
  background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:0 .6rem .6rem}
.side ul{list-style:none;margin:0;padding:0}
.item{padding:.3rem .45rem;border-radius:5px;cursor:pointer;border:1px solid transparent;margin:1px 0}
.item:hover,.item:focus{background:#eef3ff;border-color:#c9d7ff;outline:none}
.item.active{border-color:#1a3cff;background:#e6ecff}
.name{font-weight:600}
.dot{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin-right:.35rem;vertical-align:-.05rem}
.badge{display:inline-block;font-weight:500;font-size:.7rem;padding:0 .35rem;margin-left:.3rem;
  border-radius:3px;background:#eee;color:#444;white-space:nowrap}
.badge.ok{background:#e3f5e6;color:#1b6b2c}
.badge.bad{background:#fde7e7;color:#a31919}
.badge.warn{background:#fff3cd;color:#7a5b00}
.badge.muted{background:#f3f3f3;color:#888}
.stance-support{background:#e3f5e6;color:#1b6b2c}
.stance-oppose{background:#fde7e7;color:#a31919}
.stance-mixed{background:#fff3cd;color:#7a5b00}
.s{border-radius:2px;cursor:pointer}
.s.m{box-shadow:inset 0 -3px 0 var(--ul,#888)}
.s.q{color:#000}
.s.u{font-style:italic;text-decoration:underline}
.s.e,.s.pe{text-decoration:underline dotted #9a9a9a}
.s.e.active{text-decoration-color:#1a3cff}
.s.x{background-image:repeating-linear-gradient(135deg,rgba(211,47,47,.25) 0 4px,transparent 4px 8px)}
.s.xa{box-shadow:inset 0 -3px 0 #d32f2f}
.s.gs{text-decoration:underline wavy #8e24aa}
.s.sp{outline:1px dotted #d32f2f}
.s.active{background-color:#ffd84d !important}
.s.active-ev{background-color:#fff3bf !important}
.s.flash{animation:flash 1.4s ease-out}
@keyframes flash{0%{background-color:#ff9f1a}}
@media (max-width:900px){.cols{grid-template-columns:1fr}.side{position:static;max-height:none}}
"""

PAGE_JS = """
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
    var item = document.querySelector('.item[data-key="' + CSS.escape(key) + '"]');
    if (item) {
      item.classList.add('active');
      if (fromText) { item.scrollIntoView({block: 'nearest'}); }
    }
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
    var item = event.target.closest('.item');
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
"""
