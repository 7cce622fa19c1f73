/*
 * Numbers, shares, durations and dates for people, in the reader's locale
 * (Intl). A classic script (no modules), so the site also works from file://.
 * `TspipeFormat.make(locale)` gives the same helpers for a fixed locale (tests).
 */
(function (root) {
  'use strict';
  var DASH = '–';

  function make(locale) {
    var cache = {};
    function nf(key, options) {
      return cache[key] || (cache[key] = new Intl.NumberFormat(locale, options));
    }
    function dtf(key, options) {
      return cache[key] || (cache[key] = new Intl.DateTimeFormat(locale, options));
    }
    function missing(v) {
      return v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
    }
    /** `YYYY-MM-DD` (or a full ISO timestamp) as a Date at UTC midnight, so no zone shifts the day. */
    function utcDate(iso) {
      var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso));
      return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : new Date(String(iso));
    }
    var f = {
      locale: locale,
      /** 1464 → "1,464"; digits: fraction digits kept (at most). */
      number: function (v, digits) {
        if (missing(v)) return DASH;
        var d = digits || 0;
        return nf('n' + d, { maximumFractionDigits: d, minimumFractionDigits: 0 }).format(v);
      },
      /** 15300 → "15K", for axes. */
      compact: function (v) {
        if (missing(v)) return DASH;
        return nf('c', { notation: 'compact', maximumFractionDigits: 1 }).format(v);
      },
      /** A share 0..1 → "48.8%". */
      percent: function (share, digits) {
        if (missing(share)) return DASH;
        var d = digits === undefined ? 1 : digits;
        return nf('p' + d, { style: 'percent', maximumFractionDigits: d, minimumFractionDigits: 0 }).format(share);
      },
      /** A change 0.22 → "+22%", -0.175 → "-17.5%". */
      signedPercent: function (change, digits) {
        if (missing(change)) return DASH;
        var d = digits === undefined ? 1 : digits;
        return nf('s' + d, { style: 'percent', maximumFractionDigits: d, signDisplay: 'exceptZero' }).format(change);
      },
      /** 177.4 → "2 min 57 s"; 45 → "45 s"; 3900 → "1 h 5 min". */
      duration: function (seconds) {
        if (missing(seconds)) return DASH;
        var s = Math.round(seconds);
        if (Math.abs(s) < 60) return f.number(s) + ' s';
        var h = Math.floor(s / 3600);
        var m = Math.floor((s % 3600) / 60);
        var rest = s % 60;
        if (h > 0) return f.number(h) + ' h' + (m ? ' ' + m + ' min' : '');
        return m + ' min' + (rest ? ' ' + rest + ' s' : '');
      },
      /** Run timings: 0.523 → "0.52 s", 75 → "1 min 15 s". */
      elapsed: function (seconds) {
        if (missing(seconds)) return DASH;
        return seconds < 60 ? f.number(seconds, seconds < 10 ? 2 : 1) + ' s' : f.duration(seconds);
      },
      /** "2024-11-01" → "Nov 2024". */
      month: function (iso) {
        if (missing(iso)) return DASH;
        return dtf('m', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(utcDate(iso));
      },
      /** 1 → "Jan". */
      monthOfYear: function (n) {
        if (missing(n)) return DASH;
        return dtf('moy', { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2001, n - 1, 1)));
      },
      /** "2024-11-10" → "Nov 10, 2024" (en-US), "10 nov. 2024" (fr-FR). */
      date: function (iso) {
        if (missing(iso)) return DASH;
        return dtf('d', { dateStyle: 'medium', timeZone: 'UTC' }).format(utcDate(iso));
      },
      /** An ISO timestamp in the reader's time zone. */
      dateTime: function (iso) {
        if (missing(iso)) return DASH;
        var d = new Date(String(iso));
        return Number.isNaN(d.getTime()) ? String(iso) : dtf('dt', { dateStyle: 'medium', timeStyle: 'short' }).format(d);
      },
    };
    return f;
  }

  var api = make(undefined);
  api.make = make;
  root.TspipeFormat = api;
})(typeof window !== 'undefined' ? window : globalThis);
