/*
 * Slack's localised dates, `<!date^epoch^format|fallback>` (and rich_text date elements), in the reader's time
 * zone: {date_num} {date} {date_short} {date_long} (+ _pretty: today/yesterday/tomorrow), {time} {time_secs} {ago}.
 * Loaded as a plain <script> before mrkdwn.js (window.LookoutSlackDate) and with require() in jest.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.LookoutSlackDate = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  var DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

  function dayParts(ms, timeZone) {
    var f = new Intl.DateTimeFormat('en-US', { timeZone: timeZone, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' });
    var p = {};
    f.formatToParts(new Date(ms)).forEach(function (x) { p[x.type] = x.value; });
    return { y: +p.year, m: +p.month, d: +p.day, wd: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday) };
  }

  function ordinal(n) {
    var s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] || 'th';
    return n + s;
  }

  function ago(ms, now) {
    var s = Math.round((now - ms) / 1000);
    var abs = Math.abs(s);
    if (abs < 45) return 'just now';
    var units = [[86400, 'day'], [3600, 'hour'], [60, 'minute']];
    for (var i = 0; i < units.length; i++) {
      if (abs >= units[i][0]) {
        var n = Math.round(abs / units[i][0]);
        var label = n + ' ' + units[i][1] + (n === 1 ? '' : 's');
        return s >= 0 ? label + ' ago' : 'in ' + label;
      }
    }
    return 'just now';
  }

  /** Slack's `<!date^epoch^format|fallback>` tokens in the reader's time zone; undefined = show the fallback. */
  function formatDate(epoch, format, ctx) {
    var ms = Number(epoch) * 1000;
    if (!isFinite(ms) || !/^\d+$/.test(String(epoch))) return undefined;
    var tz = ctx.timeZone;
    var now = ctx.now ? ctx.now() : Date.now();
    var p = dayParts(ms, tz);
    var pad = function (n) { return String(n).padStart(2, '0'); };
    var same = function (q) { return q.y === p.y && q.m === p.m && q.d === p.d; };
    var relative = function () {
      if (same(dayParts(now, tz))) return 'today';
      if (same(dayParts(now - 864e5, tz))) return 'yesterday';
      if (same(dayParts(now + 864e5, tz))) return 'tomorrow';
      return undefined;
    };
    var time = function (secs) {
      return new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: 'numeric', minute: '2-digit', second: secs ? '2-digit' : undefined }).format(new Date(ms));
    };
    var tokens = {
      date_num: function () { return p.y + '-' + pad(p.m) + '-' + pad(p.d); },
      date: function () { return MONTHS[p.m - 1] + ' ' + ordinal(p.d) + ', ' + p.y; },
      date_short: function () { return MONTHS[p.m - 1].slice(0, 3) + ' ' + p.d + ', ' + p.y; },
      date_long: function () { return DAYS[p.wd] + ', ' + MONTHS[p.m - 1] + ' ' + ordinal(p.d) + ', ' + p.y; },
      date_pretty: function () { return relative() || tokens.date(); },
      date_short_pretty: function () { return relative() || tokens.date_short(); },
      date_long_pretty: function () { return relative() || tokens.date_long(); },
      time: function () { return time(false); },
      time_secs: function () { return time(true); },
      ago: function () { return ago(ms, now); },
    };
    var unknown = false;
    var text = String(format).replace(/\{([a-z_]+)\}/g, function (m, name) {
      if (!tokens[name]) unknown = true;
      return tokens[name] ? tokens[name]() : m;
    });
    return unknown ? undefined : text;
  }

  return { formatDate: formatDate };
});
