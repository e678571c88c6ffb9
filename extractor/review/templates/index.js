(function () {
  var box = document.getElementById('search');
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-search]'));
  var shown = document.getElementById('shown');
  var noMatch = document.getElementById('no-match');
  var total = shown.textContent;
  function filter() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var articles = 0;
    rows.forEach(function (row) {
      var haystack = row.dataset.search;
      var hit = words.every(function (word) { return haystack.indexOf(word) >= 0; });
      row.hidden = !hit;
      if (hit && row.closest('#articles')) { articles += 1; }
    });
    shown.textContent = words.length ? articles + ' of ' + total : total;
    noMatch.hidden = articles > 0 || rows.length === 0 || !words.length;
    // The query in the address, so that a search can be shared and survives the way back from a page.
    history.replaceState(null, '', words.length ? '#q=' + encodeURIComponent(box.value) : location.pathname);
  }
  box.addEventListener('input', filter);
  if (location.hash.indexOf('#q=') === 0) {
    box.value = decodeURIComponent(location.hash.slice(3));
    filter();
  }
})();
