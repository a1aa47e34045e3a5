// The paste-in stub (CONTRACT §3): ES5, no imports. Until widget.js arrives every method of
// window.Chative queues [method, arguments, resolve, reject] on Chative.q and returns a Promise
// that the bundle settles with the real result when it replays the queue in order.
!function (w) {
  var c = w.Chative = w.Chative || { q: [] };
  'identify update open close toggle on off getContact reset'.split(' ').forEach(function (m) {
    c[m] = c[m] || function () {
      var a = arguments;
      return new Promise(function (r, j) { c.q.push([m, a, r, j]); });
    };
  });
}(window);
