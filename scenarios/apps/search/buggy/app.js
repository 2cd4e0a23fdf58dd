// Plant search: every keystroke asks /api/search for the current text and renders the answer.
//
// BUG (stale-response race): each answer is rendered when it arrives. Answers can arrive out of
// order, so a slow answer for an earlier, shorter query ("fe") that lands after the answer for
// the final query ("fern") overwrites it: the box says "fern", the list shows "fe".
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

  input.addEventListener('input', async function () {
    var q = input.value.trim();
    if (q === '') {
      list.textContent = '';
      setStatus('Type to search');
      return;
    }
    setStatus('Searching for "' + q + '"\u2026', 'loading');
    var res = await fetch('/api/search?q=' + encodeURIComponent(q));
    if (!res.ok) {
      setStatus('Search failed (' + res.status + ')', 'error');
      return;
    }
    var data = await res.json();
    render(data);
  });
})();
