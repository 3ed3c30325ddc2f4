// --------------------------------------------------------------------------- personnummer

const MONTH_DAYS = /* runtime.py */ null;
const DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];

function leap(year) {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * ``check(pnr)``: a 12-digit personnummer that is a real one on the reference date.
 *
 * A real calendar date (a samordningsnummer has day + 60), a serial other than 000, the right Luhn
 * check digit, and a birth date on or before the reference date ("YYYYMMDD").  ``pnr`` is twelve
 * ASCII digits.
 */
export function personnummerChecker(referenceYmd) {
  const key = +referenceYmd; // "YYYYMMDD" as a number: compared as numbers, the same order
  // the twelve digits (char code - 48; NaN past the end of a shorter string: false, as Python's)
  const valid = (d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11) => {
    const year = d0 * 1000 + d1 * 100 + d2 * 10 + d3;
    const month = d4 * 10 + d5;
    let day = d6 * 10 + d7;
    if (day > 60) day -= 60;
    if (year < 1 || month < 1 || month > 12 || day < 1) return false;
    const last = month === 2 && leap(year) ? 29 : MONTH_DAYS[month];
    if (day > last) return false;
    // serial number 000: no personnummer.  One test, run on every number: a third test run only after two zero
    // digits (rare) had no type feedback when TurboFan compiled it and deoptimised all it was inlined into (a
    // NaN digit, past the end of a shorter string, is false below all the same)
    if ((d8 | d9 | d10) === 0) return false;
    if (year * 10000 + month * 100 + day > key) return false;
    const total = DOUBLED[d2] + d3 + DOUBLED[d4] + d5 + DOUBLED[d6] + d7 + DOUBLED[d8] + d9 + DOUBLED[d10] + d11;
    return total % 10 === 0;
  };
  function check(pnr) {
    const c = (i) => pnr.charCodeAt(i) - 48;
    return valid(c(0), c(1), c(2), c(3), c(4), c(5), c(6), c(7), c(8), c(9), c(10), c(11));
  }
  /** ``check(line.slice(a - BASE, b - BASE))`` of the line py_fields scanned last, by char code. */
  check.at = (line, a, b) => {
    if (b - a !== 12) return check(line.slice(a - BASE, b - BASE));
    const p = CODES;
    return valid(
      p[a] - 48, p[a + 1] - 48, p[a + 2] - 48, p[a + 3] - 48, p[a + 4] - 48, p[a + 5] - 48,
      p[a + 6] - 48, p[a + 7] - 48, p[a + 8] - 48, p[a + 9] - 48, p[a + 10] - 48, p[a + 11] - 48,
    );
  };
  return check;
}

// Python's str.isspace, for the deceased list
const PY_SPACE = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

export function pyStrip(s) {
  let a = 0;
  let b = s.length;
  while (a < b && PY_SPACE.includes(s[a])) a++;
  while (b > a && PY_SPACE.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function ymd(year, month, day) {
  return String(year).padStart(4, "0") + String(month).padStart(2, "0") + String(day).padStart(2, "0");
}

/** ``datetime.date.fromisoformat`` of Python 3.11 as "YYYYMMDD", or null. */
export function isoDate(text) {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) || /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) {
    const [year, month, day] = [+m[1], +m[2], +m[3]];
    if (year < 1 || month < 1 || month > 12 || day < 1) return null;
    if (day > (month === 2 && leap(year) ? 29 : MONTH_DAYS[month])) return null;
    return ymd(year, month, day);
  }
  m = /^(\d{4})-W(\d{2})(?:-(\d))?$/.exec(text) || /^(\d{4})W(\d{2})(\d)?$/.exec(text);
  if (m) {
    const [year, week, weekday] = [+m[1], +m[2], m[3] === undefined ? 1 : +m[3]];
    if (year < 1 || week < 1 || weekday < 1 || weekday > 7) return null;
    const jan4 = new Date(Date.UTC(2000, 0, 4));
    jan4.setUTCFullYear(year);
    const monday = jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86400000; // of week 1
    if (week > 52) {
      const dec28 = new Date(Date.UTC(2000, 11, 28));
      dec28.setUTCFullYear(year);
      const lastMonday = dec28.getTime() - ((dec28.getUTCDay() + 6) % 7) * 86400000;
      if (monday + (week - 1) * 7 * 86400000 > lastMonday) return null;
    }
    const d = new Date(monday + ((week - 1) * 7 + weekday - 1) * 86400000);
    if (d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999) return null;
    return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  return null;
}

/** The death-register extract: ``personnummer;YYYY-MM-DD`` a line -> Map personnummer -> "YYYYMMDD". */
export function readDeceased(source, name = "") {
  const out = new Map();
  let number = 0;
  readLines(asSource(source), (lines) => {
    for (const line of lines) {
      number++;
      if (!pyStrip(line)) continue;
      const parts = line.split(";");
      if (parts.length !== 2 || !/^[0-9]{12}$/.test(parts[0])) {
        throw new InputError(fmt(INPUT_MESSAGES.deceased_line, { path: name, line: number }));
      }
      // exactly ÅÅÅÅ-MM-DD, a real date (runtime.read_deceased)
      const died = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(parts[1]) ? isoDate(parts[1]) : null;
      if (died === null) {
        // never a personnummer where the date belongs: masked before the cut and after it (runtime.read_deceased)
        const shown = printable(maskText(Array.from(maskText(parts[1])).slice(0, 40).join("")));
        throw new InputError(fmt(INPUT_MESSAGES.deceased_date, { path: name, line: number, value: pyRepr(shown) }));
      }
      out.set(parts[0], died);
    }
  });
  return out;
}

