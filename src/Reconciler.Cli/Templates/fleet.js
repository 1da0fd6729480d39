// fleet.html's one script, allowed by its SHA-256 in the page's Content-Security-Policy (FleetHtmlView computes it).
// Without it the page still reads whole: every period's chart is shown, the table in report order.
(function () {
  'use strict';
  var table = document.getElementById('fleet');
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var body = table.tBodies[0];

  // Sort by a column's data-sort (numbers for data-type="number"); hosts without the figure stay last either way.
  function sortBy(col, direction) {
    var numeric = heads[col].getAttribute('data-type') === 'number';
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute('data-sort');
      var y = b.cells[col].getAttribute('data-sort');
      if (x === '' || y === '') { return (x === '' ? 1 : 0) - (y === '' ? 1 : 0); }
      var c = numeric ? Number(x) - Number(y) : (x < y ? -1 : x > y ? 1 : 0);
      return direction === 'ascending' ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    heads.forEach(function (th, i) { th.setAttribute('aria-sort', i === col ? direction : 'none'); });
  }

  heads.forEach(function (th, col) {
    th.querySelector('button').addEventListener('click', function () {
      sortBy(col, th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending');
    });
  });

  // Filter the table by status; the host sections below stay, so a link to one still lands.
  var filter = document.getElementById('status-filter');
  var choices = Array.prototype.slice.call(filter.querySelectorAll('button'));
  choices.forEach(function (choice) {
    choice.addEventListener('click', function () {
      var status = choice.getAttribute('data-status');
      choices.forEach(function (other) { other.setAttribute('aria-pressed', other === choice ? 'true' : 'false'); });
      Array.prototype.forEach.call(body.rows, function (row) {
        row.hidden = status !== '' && row.getAttribute('data-status') !== status;
      });
    });
  });
  filter.hidden = false;

  // Period tabs: one chart at a time, arrow keys move between tabs (the WAI-ARIA tabs pattern).
  Array.prototype.forEach.call(document.querySelectorAll('.periods'), function (box) {
    var list = box.querySelector('[role="tablist"]');
    var tabs = Array.prototype.slice.call(list.querySelectorAll('[role="tab"]'));
    var panels = tabs.map(function (tab) { return document.getElementById(tab.getAttribute('aria-controls')); });
    if (tabs.length === 0) { return; }
    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        tab.setAttribute('aria-selected', i === index ? 'true' : 'false');
        tab.tabIndex = i === index ? 0 : -1;
        panels[i].hidden = i !== index;
      });
      if (focus) { tabs[index].focus(); }
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener('click', function () { select(i, false); });
      tab.addEventListener('keydown', function (e) {
        var next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
        if (next === null) { return; }
        e.preventDefault();
        select((next + tabs.length) % tabs.length, true);
      });
    });
    list.hidden = false;
    select(0, false);
  });
}());
