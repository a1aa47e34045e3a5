// The documented embed (Intercom's pattern): the paste-in stub (stub.js), then widget.js inserted
// once the page's `load` event has fired, so the widget never holds the host page's `load`.
// ES5, no imports. The last two arguments are what a site owner fills in: the script URL and the site id.
// document.currentScript is the inserted <script> while widget.js runs, so it reads data-site and its origin as usual.
!function (w, d, src, site) {
  var c = w.Chative = w.Chative || { q: [] };
  'identify update open close toggle on off getContact reset'.split(' ').forEach(function (m) {
    c[m] = c[m] || function () {
      var a = arguments;
      return new Promise(function (r, j) { c.q.push([m, a, r, j]); });
    };
  });
  function add() {
    var s = d.createElement('script');
    s.async = true;
    s.src = src;
    s.setAttribute('data-site', site);
    d.head.appendChild(s);
  }
  // readyState is "complete" only once load has fired (or is firing): a snippet added late inserts at once.
  // From the load event, a task of its own: inserting a script costs a few ms (the fetch's set-up), and the
  // load event's task often carries the page's layout too; together they made a long task (> 50 ms at 4×).
  d.readyState == 'complete' ? add() : w.addEventListener('load', function () { setTimeout(add); });
}(window, document, 'https://chat.example.com/widget.js', 'default');
