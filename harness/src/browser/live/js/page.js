// Added to every document of the app under test before its own scripts run (main world).
// 1. Randomness from a seed: Math.random, crypto.getRandomValues and crypto.randomUUID.
// 2. performance.now() in whole milliseconds: under virtual time Chromium's clamping jitter reads
//    249.9, 250 or 250.1 for the same instant.
// 3. Responses released after their recorded latency: reprise answers every request at once (virtual
//    time stands still while a request is pending) with an `x-reprise-latency` header; fetch() and
//    XMLHttpRequest hand the answer to the app only when that much virtual time has passed since
//    the request was made.
(() => {
  'use strict';
  const SEED = __REPRISE_SEED__;
  const HEADER = 'x-reprise-latency';
  const define = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });
  const named = (fn, name) => Object.defineProperty(fn, 'name', { value: name });

  // mulberry32: small, fast, and the same sequence on every run.
  let state = SEED >>> 0;
  const next32 = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  define(Math, 'random', named(function () { return next32() / 4294967296; }, 'random'));
  if (typeof Crypto !== 'undefined') {
    const native = Crypto.prototype.getRandomValues;
    define(Crypto.prototype, 'getRandomValues', named(function (array) {
      const integer = ArrayBuffer.isView(array) && !(array instanceof DataView) &&
        !(array instanceof Float32Array) && !(array instanceof Float64Array);
      if (!integer || array.byteLength > 65536) return native.call(this, array);
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      for (let i = 0; i < bytes.length; i++) bytes[i] = next32() & 255;
      return array;
    }, 'getRandomValues'));
    if (Crypto.prototype.randomUUID) {
      define(Crypto.prototype, 'randomUUID', named(function () {
        const b = new Uint8Array(16);
        this.getRandomValues(b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      }, 'randomUUID'));
    }
  }
  const nativeNow = Performance.prototype.now;
  const now = () => nativeNow.call(performance);
  define(Performance.prototype, 'now', named(function () { return Math.round(nativeNow.call(this)); }, 'now'));

  const setTimer = self.setTimeout.bind(self);
  const latencyOf = (value) => {
    const n = Number(value);
    return n > 0 && Number.isFinite(n) ? n : 0;
  };

  // Date.now() reads virtual time in whole ms without the clamping jitter of performance.now().
  const clock = Date.now;
  if (typeof self.fetch === 'function') {
    const nativeFetch = self.fetch;
    define(self, 'fetch', named(function (input, init) {
      const issued = clock();
      return nativeFetch.call(this, input, init).then((res) => {
        const wait = latencyOf(res.headers.get(HEADER)) - (clock() - issued);
        return wait > 0 ? new Promise((resolve) => setTimer(() => resolve(res), wait)) : res;
      });
    }, 'fetch'));
  }

  const NativeXHR = self.XMLHttpRequest;
  if (NativeXHR) {
    const dispatch = EventTarget.prototype.dispatchEvent;
    const TYPES = ['readystatechange', 'progress', 'load', 'loadend', 'error', 'abort', 'timeout'];
    const state = new WeakMap();
    const replayed = new WeakSet();
    class XMLHttpRequest extends NativeXHR {
      constructor() {
        super();
        const st = { async: true, issued: 0, releaseAt: -1, held: [], timer: 0 };
        state.set(this, st);
        // Registered first and as capture listeners, so they run before the app's own.
        const hold = (e) => {
          if (replayed.has(e) || !st.async) return;
          if (st.releaseAt < 0 && this.readyState >= 2) {
            const latency = latencyOf(this.getResponseHeader(HEADER));
            st.releaseAt = latency > 0 ? st.issued + latency : 0;
          }
          if (st.releaseAt <= 0 || (st.held.length === 0 && clock() >= st.releaseAt)) return;
          e.stopImmediatePropagation();
          st.held.push(e.type === 'readystatechange'
            ? [e.type]
            : [e.type, { lengthComputable: e.lengthComputable, loaded: e.loaded, total: e.total }]);
          if (!st.timer) {
            st.timer = setTimer(() => {
              for (const [type, init] of st.held.splice(0)) {
                const ev = init ? new ProgressEvent(type, init) : new Event(type);
                replayed.add(ev);
                dispatch.call(this, ev);
              }
            }, st.releaseAt - clock());
          }
        };
        for (const type of TYPES) this.addEventListener(type, hold, true);
      }
      open(method, url, async, ...rest) {
        state.get(this).async = async === undefined ? true : !!async;
        return async === undefined ? super.open(method, url) : super.open(method, url, async, ...rest);
      }
      send(body) {
        const st = state.get(this);
        st.issued = clock();
        st.releaseAt = -1;
        return super.send(body);
      }
    }
    define(self, 'XMLHttpRequest', XMLHttpRequest);
  }
})();
