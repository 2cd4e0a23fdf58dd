// Plant search: every keystroke asks /api/search for the current text and renders the answer.
//
// FIX: every request gets a sequence number; an answer is rendered only if no newer query was
// typed since it was asked, so a slow answer for an earlier query ("fe") that arrives after the
// answer for "fern" is dropped. The requests themselves are the same as in buggy/.
(function () {
  'use strict';

  var input = document.getElementById('q');
  var statusEl = document.getElementById('status');
  var list = document.getElementById('results');

  function setStatus(text, className) {
    statusEl.textContent = text;
    statusEl.className = className || '';
  }

  function render(data) {
    list.textContent = '';
    data.results.forEach(function (plant) {
      var li = document.createElement('li');
      li.setAttribute('data-testid', 'result');
      li.setAttribute('data-id', String(plant.id));
      var name = document.createElement('span');
      name.className = 'name';
      name.textContent = plant.name;
      var latin = document.createElement('span');
      latin.className = 'latin';
      latin.textContent = plant.latin;
      li.appendChild(name);
      li.appendChild(latin);
      list.appendChild(li);
    });
    var n = data.results.length;
    if (n === 0) {
      setStatus('No results for "' + data.query + '"');
    } else {
      setStatus(n + (n === 1 ? ' result' : ' results') + ' for "' + data.query + '"');
    }
  }

  // Sequence number of the newest query; answers to older ones are stale.
  var latest = 0;

  input.addEventListener('input', async function () {
    var seq = ++latest;
    var q = input.value.trim();
    if (q === '') {
      list.textContent = '';
      setStatus('Type to search');
      return;
    }
    setStatus('Searching for "' + q + '"\u2026', 'loading');
    var res = await fetch('/api/search?q=' + encodeURIComponent(q));
    if (seq !== latest) return;
    if (!res.ok) {
      setStatus('Search failed (' + res.status + ')', 'error');
      return;
    }
    var data = await res.json();
    if (seq !== latest) return;
    render(data);
  });
})();
