// What a prompt names, for the generator to answer with: places (known cities in any case, capitalised
// names after "in", "at", "from", "to"…), countries, other names, money amounts, bare numbers, dates,
// currencies, colours, languages, e-mail addresses and URLs, each with its position. Tool arguments and
// structured outputs take their values from here (see json-schema.ts), images their colours (media/png.ts).

/** A known city: its usual spelling, country and IANA time zone. */
export interface City {
  name: string;
  country: string;
  timezone: string;
}

const city = (name: string, country: string, timezone: string): City => ({ name, country, timezone });

/** Cities the emulator recognises in any case and position ("paris", "New York"). */
export const CITIES: readonly City[] = [
  city("Paris", "France", "Europe/Paris"),
  city("Tokyo", "Japan", "Asia/Tokyo"),
  city("Lisbon", "Portugal", "Europe/Lisbon"),
  city("Nairobi", "Kenya", "Africa/Nairobi"),
  city("Montreal", "Canada", "America/Toronto"),
  city("Sydney", "Australia", "Australia/Sydney"),
  city("Oslo", "Norway", "Europe/Oslo"),
  city("Lima", "Peru", "America/Lima"),
  city("London", "United Kingdom", "Europe/London"),
  city("Berlin", "Germany", "Europe/Berlin"),
  city("Madrid", "Spain", "Europe/Madrid"),
  city("Barcelona", "Spain", "Europe/Madrid"),
  city("Rome", "Italy", "Europe/Rome"),
  city("Milan", "Italy", "Europe/Rome"),
  city("Amsterdam", "Netherlands", "Europe/Amsterdam"),
  city("Brussels", "Belgium", "Europe/Brussels"),
  city("Vienna", "Austria", "Europe/Vienna"),
  city("Prague", "Czechia", "Europe/Prague"),
  city("Warsaw", "Poland", "Europe/Warsaw"),
  city("Stockholm", "Sweden", "Europe/Stockholm"),
  city("Copenhagen", "Denmark", "Europe/Copenhagen"),
  city("Helsinki", "Finland", "Europe/Helsinki"),
  city("Reykjavik", "Iceland", "Atlantic/Reykjavik"),
  city("Dublin", "Ireland", "Europe/Dublin"),
  city("Zurich", "Switzerland", "Europe/Zurich"),
  city("Munich", "Germany", "Europe/Berlin"),
  city("Athens", "Greece", "Europe/Athens"),
  city("Istanbul", "Turkey", "Europe/Istanbul"),
  city("Moscow", "Russia", "Europe/Moscow"),
  city("Cairo", "Egypt", "Africa/Cairo"),
  city("Lagos", "Nigeria", "Africa/Lagos"),
  city("Johannesburg", "South Africa", "Africa/Johannesburg"),
  city("Dubai", "United Arab Emirates", "Asia/Dubai"),
  city("Mumbai", "India", "Asia/Kolkata"),
  city("Delhi", "India", "Asia/Kolkata"),
  city("Bangkok", "Thailand", "Asia/Bangkok"),
  city("Singapore", "Singapore", "Asia/Singapore"),
  city("Hong Kong", "China", "Asia/Hong_Kong"),
  city("Shanghai", "China", "Asia/Shanghai"),
  city("Beijing", "China", "Asia/Shanghai"),
  city("Seoul", "South Korea", "Asia/Seoul"),
  city("Auckland", "New Zealand", "Pacific/Auckland"),
  city("Melbourne", "Australia", "Australia/Melbourne"),
  city("Toronto", "Canada", "America/Toronto"),
  city("Vancouver", "Canada", "America/Vancouver"),
  city("New York", "United States", "America/New_York"),
  city("Boston", "United States", "America/New_York"),
  city("Chicago", "United States", "America/Chicago"),
  city("Miami", "United States", "America/New_York"),
  city("Seattle", "United States", "America/Los_Angeles"),
  city("San Francisco", "United States", "America/Los_Angeles"),
  city("Los Angeles", "United States", "America/Los_Angeles"),
  city("Mexico City", "Mexico", "America/Mexico_City"),
  city("Bogota", "Colombia", "America/Bogota"),
  city("Santiago", "Chile", "America/Santiago"),
  city("Buenos Aires", "Argentina", "America/Argentina/Buenos_Aires"),
  city("Sao Paulo", "Brazil", "America/Sao_Paulo"),
  city("Rio de Janeiro", "Brazil", "America/Sao_Paulo"),
];

const COUNTRIES = [
  ...new Set([
    ...CITIES.map((c) => c.country),
    "USA",
    "UK",
    "England",
    "Scotland",
    "Portugal",
    "Vietnam",
    "Indonesia",
    "Pakistan",
    "Ukraine",
    "Morocco",
  ]),
];

/** Colour words the emulator understands, with the sRGB value it draws them in. */
export const COLOURS: Readonly<Record<string, readonly [number, number, number]>> = {
  red: [220, 40, 40],
  green: [40, 170, 70],
  blue: [40, 90, 220],
  yellow: [240, 210, 40],
  orange: [245, 140, 30],
  purple: [140, 60, 180],
  violet: [150, 90, 220],
  pink: [240, 120, 170],
  black: [20, 20, 20],
  white: [245, 245, 245],
  grey: [128, 128, 128],
  gray: [128, 128, 128],
  brown: [130, 80, 40],
  cyan: [40, 200, 220],
  teal: [30, 140, 140],
  turquoise: [60, 210, 200],
  navy: [20, 30, 110],
  gold: [212, 175, 55],
  golden: [212, 175, 55],
  silver: [190, 190, 200],
  amber: [255, 190, 0],
  magenta: [210, 40, 160],
  crimson: [180, 20, 50],
  indigo: [75, 0, 130],
  beige: [225, 210, 180],
};

const LANGUAGES = [
  "English",
  "French",
  "Spanish",
  "German",
  "Italian",
  "Portuguese",
  "Dutch",
  "Japanese",
  "Chinese",
  "Korean",
  "Russian",
  "Arabic",
  "Hindi",
  "Swedish",
  "Norwegian",
  "Polish",
  "Turkish",
  "Greek",
];

const CURRENCY_WORDS: Record<string, string> = {
  $: "USD",
  "€": "EUR",
  "£": "GBP",
  "¥": "JPY",
  usd: "USD",
  dollar: "USD",
  dollars: "USD",
  bucks: "USD",
  eur: "EUR",
  euro: "EUR",
  euros: "EUR",
  gbp: "GBP",
  pound: "GBP",
  pounds: "GBP",
  jpy: "JPY",
  yen: "JPY",
  chf: "CHF",
  francs: "CHF",
  cad: "CAD",
  aud: "AUD",
  inr: "INR",
  rupees: "INR",
  cny: "CNY",
  yuan: "CNY",
  btc: "BTC",
  bitcoin: "BTC",
};

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

const CALENDAR_WORDS =
  /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december)$/i;

/** Year given to a date named without one ("March 5"). */
export const DEFAULT_YEAR = 2026;

/** Something the prompt names, where it starts, and the word just before it (lower case). */
export interface Mention<T> {
  value: T;
  index: number;
  before: string;
}

/** Everything a prompt names, each list in order of appearance. */
export interface PromptFacts {
  text: string;
  /** Known cities (canonical spelling) and capitalised names after a place preposition. */
  places: Mention<string>[];
  countries: Mention<string>[];
  /** Capitalised names and quoted phrases that are not places. */
  names: Mention<string>[];
  /** Money: `$42`, `€10.50`, `42 dollars`, `100 EUR`. */
  amounts: Mention<number>[];
  /** Other numbers (not amounts, not parts of dates). */
  numbers: Mention<number>[];
  /** ISO dates (`2026-03-05`) and dates with a month name (`March 5`, `5 March 2027`), as ISO dates. */
  dates: Mention<string>[];
  /** ISO 4217 codes of the currencies named or implied by a symbol. */
  currencies: Mention<string>[];
  /** Colour words (keys of {@link COLOURS}). */
  colours: Mention<string>[];
  languages: Mention<string>[];
  emails: Mention<string>[];
  urls: Mention<string>[];
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const alternation = (words: readonly string[]) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegex)
    .join("|");

type LexiconKind = "city" | "country" | "colour" | "language" | "currency";
interface Lexeme {
  kind: LexiconKind;
  value: string;
  /** Only when written with a capital ("Turkey", not "turkey"; "Polish", not "polish"). */
  capitalised: boolean;
}

/** Known words and phrases of up to three words, by their lower-case spelling: one scan finds them all. */
const LEXICON = new Map<string, Lexeme[]>();
const addLexeme = (phrase: string, lexeme: Lexeme) => {
  const key = phrase.toLowerCase();
  LEXICON.set(key, [...(LEXICON.get(key) ?? []), lexeme]);
};
for (const c of CITIES) addLexeme(c.name, { kind: "city", value: c.name, capitalised: false });
for (const c of COUNTRIES) addLexeme(c, { kind: "country", value: c, capitalised: true });
for (const c of Object.keys(COLOURS)) addLexeme(c, { kind: "colour", value: c, capitalised: false });
for (const l of LANGUAGES) addLexeme(l, { kind: "language", value: l, capitalised: true });
for (const [word, code] of Object.entries(CURRENCY_WORDS)) {
  if (word.length > 1) addLexeme(word, { kind: "currency", value: code, capitalised: false });
}
const LEXICON_WORDS = 3;
const CURRENCY_SYMBOL = /[$€£¥]/g;

const MONTH = `(${MONTHS.map((m) => `${m.slice(0, 3)}(?:${m.slice(3)})?`).join("|")})\\.?`;
const DATE_RES: RegExp[] = [
  /\b(\d{4})-(\d{2})-(\d{2})\b/g,
  new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b`, "giu"),
  new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?:,?\\s+(\\d{4}))?\\b`, "giu"),
];
const AMOUNT_RES: RegExp[] = [
  /([$€£¥])\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?/g,
  /(?<![\p{L}\p{N}.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?(usd|eur|gbp|jpy|chf|cad|aud|dollars?|euros?|pounds?|yen|bucks)(?![\p{L}])/giu,
];
const NUMBER_RE = /(?<![\p{L}\p{N}.,])-?\d+(?:\.\d+)?(?![\p{N}])/gu;
const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const URL_RE = /https?:\/\/[^\s"'<>)]+/g;
const PLACE_PREPOSITIONS = new Set(["in", "at", "for", "from", "to", "near", "around", "of", "visit", "via"]);

function wordBefore(text: string, index: number): string {
  const match = /([\p{L}]+)[^\p{L}]*$/u.exec(text.slice(Math.max(0, index - 24), index));
  return match ? match[1].toLowerCase() : "";
}

const mention = <T>(text: string, value: T, index: number): Mention<T> => ({
  value,
  index,
  before: wordBefore(text, index),
});

/**
 * Names and quoted phrases of a text with their positions: runs of capitalised words that do not start
 * a sentence, and text in quotes (quotes first, then names, each in order).
 *
 * @example
 * ```ts
 * namedPhraseSpans("Weather in New York?"); // [{ text: "New York", index: 11 }]
 * ```
 */
export function namedPhraseSpans(text: string): { text: string; index: number }[] {
  const out: { text: string; index: number }[] = [];
  for (const match of text.matchAll(/["“]([^"”]{2,60})["”]/g)) {
    out.push({ text: match[1].trim(), index: (match.index ?? 0) + 1 });
  }
  let run: { text: string; index: number }[] = [];
  let sentenceStart = true;
  const flush = () => {
    if (run.length > 0) out.push({ text: run.map((w) => w.text).join(" "), index: run[0].index });
    run = [];
  };
  for (const match of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’-]*|[.!?]/gu)) {
    const word = match[0];
    if (/^[.!?]$/.test(word)) {
      flush();
      sentenceStart = true;
      continue;
    }
    const capitalised = /^\p{Lu}/u.test(word) && word !== "I";
    if (capitalised && !sentenceStart) run.push({ text: word, index: match.index ?? 0 });
    else flush();
    sentenceStart = false;
  }
  flush();
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(p.text) && seen.add(p.text));
}

function toIsoDate(year: number, month: number, day: number): string | undefined {
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined;
  return date.toISOString().slice(0, 10);
}

const monthNumber = (word: string) =>
  MONTHS.findIndex((m) => m.startsWith(word.toLowerCase().slice(0, 3))) + 1;
const parseNumber = (digits: string, fraction?: string) =>
  Number(`${digits.replace(/,/g, "")}${fraction ? `.${fraction}` : ""}`);

function computeFacts(text: string): PromptFacts {
  const facts: PromptFacts = {
    text,
    places: [],
    countries: [],
    names: [],
    amounts: [],
    numbers: [],
    dates: [],
    currencies: [],
    colours: [],
    languages: [],
    emails: [],
    urls: [],
  };
  // Spans already read as something else (dates, amounts), so their digits are not bare numbers too.
  const taken: [number, number][] = [];
  const isTaken = (at: number) => taken.some(([from, to]) => at >= from && at < to);
  for (const match of text.matchAll(URL_RE)) {
    facts.urls.push(mention(text, match[0], match.index ?? 0));
    taken.push([match.index ?? 0, (match.index ?? 0) + match[0].length]);
  }
  for (const match of text.matchAll(EMAIL_RE)) {
    if (isTaken(match.index ?? 0)) continue;
    facts.emails.push(mention(text, match[0], match.index ?? 0));
    taken.push([match.index ?? 0, (match.index ?? 0) + match[0].length]);
  }
  DATE_RES.forEach((re, kind) => {
    for (const match of text.matchAll(re)) {
      const at = match.index ?? 0;
      if (isTaken(at)) continue;
      const iso =
        kind === 0
          ? toIsoDate(Number(match[1]), Number(match[2]), Number(match[3]))
          : kind === 1
            ? toIsoDate(Number(match[3] ?? DEFAULT_YEAR), monthNumber(match[1]), Number(match[2]))
            : toIsoDate(Number(match[3] ?? DEFAULT_YEAR), monthNumber(match[2]), Number(match[1]));
      if (!iso) continue;
      facts.dates.push(mention(text, iso, at));
      taken.push([at, at + match[0].length]);
    }
  });
  for (const match of text.matchAll(AMOUNT_RES[0])) {
    const at = match.index ?? 0;
    if (isTaken(at)) continue;
    facts.amounts.push(mention(text, parseNumber(match[2], match[3]), at));
    taken.push([at, at + match[0].length]);
  }
  for (const match of text.matchAll(AMOUNT_RES[1])) {
    const at = match.index ?? 0;
    if (isTaken(at)) continue;
    facts.amounts.push(mention(text, parseNumber(match[1], match[2]), at));
    taken.push([at, at + match[0].length]);
  }
  facts.amounts.sort((a, b) => a.index - b.index);
  for (const match of text.matchAll(NUMBER_RE)) {
    const at = match.index ?? 0;
    if (isTaken(at)) continue;
    facts.numbers.push(mention(text, Number(match[0]), at));
  }
  for (const match of text.matchAll(CURRENCY_SYMBOL)) {
    facts.currencies.push(mention(text, CURRENCY_WORDS[match[0]], match.index ?? 0));
  }
  const cityAt = new Map<number, string>();
  const words = [...text.matchAll(/\p{L}+/gu)];
  for (let i = 0; i < words.length; i++) {
    for (let n = Math.min(LEXICON_WORDS, words.length - i); n >= 1; n--) {
      const first = words[i];
      const last = words[i + n - 1];
      const start = first.index ?? 0;
      const phrase = text.slice(start, (last.index ?? 0) + last[0].length);
      const found = LEXICON.get(phrase.toLowerCase().replace(/\s+/g, " "));
      if (!found) continue;
      const capital = /^\p{Lu}/u.test(phrase);
      for (const lexeme of found) {
        if (lexeme.capitalised && !capital) continue;
        const list = {
          city: undefined,
          country: facts.countries,
          colour: facts.colours,
          language: facts.languages,
          currency: facts.currencies,
        }[lexeme.kind];
        if (list) list.push(mention(text, lexeme.value, start));
        else cityAt.set(start, lexeme.value);
      }
      i += n - 1;
      break;
    }
  }
  facts.currencies.sort((a, b) => a.index - b.index);
  const countryNames = new Set(facts.countries.map((c) => c.value));
  const languageNames = new Set(facts.languages.map((l) => l.value));
  for (const phrase of namedPhraseSpans(text)) {
    if (cityAt.has(phrase.index) || countryNames.has(phrase.text) || languageNames.has(phrase.text)) continue;
    if (isTaken(phrase.index) || CALENDAR_WORDS.test(phrase.text)) continue;
    const inside = [...cityAt.keys()].some(
      (at) => at >= phrase.index && at < phrase.index + phrase.text.length,
    );
    const before = wordBefore(text, phrase.index);
    if (!inside && PLACE_PREPOSITIONS.has(before) && !/^\p{N}/u.test(phrase.text)) {
      facts.places.push({ value: phrase.text, index: phrase.index, before });
    } else if (!inside) {
      facts.names.push({ value: phrase.text, index: phrase.index, before });
    }
  }
  for (const [at, name] of cityAt) facts.places.push(mention(text, name, at));
  facts.places.sort((a, b) => a.index - b.index);
  return facts;
}

let lastText: string | undefined;
let lastFacts: PromptFacts | undefined;

/**
 * What `text` names (memoised for the latest text: a request reads its prompt several times).
 *
 * @example
 * ```ts
 * const facts = promptFacts("Send $42 to Ada in Paris on March 5");
 * facts.amounts[0].value; // 42
 * facts.places[0].value; // "Paris"
 * facts.dates[0].value; // "2026-03-05"
 * ```
 */
export function promptFacts(text: string): PromptFacts {
  if (text !== lastText || !lastFacts) {
    lastFacts = computeFacts(text);
    lastText = text;
  }
  return lastFacts;
}

/**
 * The facts that lie in `[start, end)` of the text (a clause of the prompt).
 *
 * @example
 * ```ts
 * sliceFacts(promptFacts("weather in Paris and the time in Tokyo"), 21, 39).places; // [Tokyo]
 * ```
 */
export function sliceFacts(facts: PromptFacts, start: number, end: number): PromptFacts {
  const out = { ...facts, text: facts.text.slice(start, end) } as PromptFacts;
  for (const key of Object.keys(facts) as (keyof PromptFacts)[]) {
    if (key === "text") continue;
    (out[key] as Mention<unknown>[]) = (facts[key] as Mention<unknown>[]).filter(
      (m) => m.index >= start && m.index < end,
    );
  }
  return out;
}

/**
 * The city record of a place name, when it is a known city.
 *
 * @example
 * ```ts
 * cityNamed("Tokyo")?.timezone; // "Asia/Tokyo"
 * ```
 */
export function cityNamed(name: string): City | undefined {
  const lower = name.toLowerCase();
  return CITIES.find((c) => c.name.toLowerCase() === lower);
}

/**
 * The words a property name may be written as in a prompt: `duration_minutes` → "duration minutes",
 * "minutes", "minute", "duration".
 *
 * @example
 * ```ts
 * keyForms("numGuests"); // ["num guests", "guests", "guest", "num"]
 * ```
 */
export function keyForms(key: string): string[] {
  const spaced = key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_.-]+/g, " ")
    .toLowerCase()
    .trim();
  const parts = spaced.split(/\s+/).filter((w) => w.length >= 2);
  const forms = new Set<string>([spaced]);
  const last = parts[parts.length - 1];
  if (last) {
    forms.add(last);
    if (last.endsWith("s") && last.length > 3) forms.add(last.slice(0, -1));
    else forms.add(`${last}s`);
  }
  for (const part of parts) if (part.length >= 3) forms.add(part);
  return [...forms].filter((f) => f.length >= 2);
}

const labelCache = new Map<string, RegExp[]>();

function labelRegexes(key: string): RegExp[] {
  let cached = labelCache.get(key);
  if (!cached) {
    const words = alternation(keyForms(key)).replace(/ /g, "[\\s_-]+");
    cached = [
      // "5 minutes", "3 guests", "$20 budget"
      new RegExp(`(?<![\\p{L}\\p{N}.])[$€£¥]?(\\d+(?:\\.\\d+)?)\\s*(?:${words})(?![\\p{L}])`, "iu"),
      // "age 30", "limit: 5", "count is 4", "rating of 4.5"
      new RegExp(
        `(?<![\\p{L}])(?:${words})(?:\\s*[:=]|\\s+(?:is|are|was|of|to|at|by|for|=))?\\s*[$€£¥]?(\\d+(?:\\.\\d+)?)(?![\\p{N}])`,
        "iu",
      ),
      // "name: Ada", "title is "Dune"", "called Rex"
      new RegExp(
        `(?<![\\p{L}])(?:${words})(?:\\s*[:=]\\s*|\\s+(?:is|was|are|named|called|should be|will be)\\s+)(?:["“]([^"”]{1,80})["”]|([^,;.!?\\n]{1,60}?))(?=\\s*(?:[,;.!?\\n]|\\band\\b|$))`,
        "iu",
      ),
    ];
    if (labelCache.size > 500) labelCache.clear();
    labelCache.set(key, cached);
  }
  return cached;
}

/**
 * A number the text gives for this property name ("5 minutes" for `minutes`, "age 30" for `age`).
 *
 * @example
 * ```ts
 * labelledNumber("Set a timer for 5 minutes", "duration_minutes"); // 5
 * ```
 */
export function labelledNumber(text: string, key: string): number | undefined {
  if (!/\d/.test(text)) return undefined;
  const [after, before] = labelRegexes(key);
  const a = after.exec(text);
  const b = before.exec(text);
  const match = a && b ? (a.index <= b.index ? a : b) : (a ?? b);
  return match ? Number(match[1]) : undefined;
}

/**
 * A string the text gives for this property name (`name: Ada`, `title is "Dune"`).
 *
 * @example
 * ```ts
 * labelledString("Create a user named Ada Lovelace, age 36", "name"); // "Ada Lovelace"
 * ```
 */
export function labelledString(text: string, key: string): string | undefined {
  const match = labelRegexes(key)[2].exec(text);
  const value = (match?.[1] ?? match?.[2])?.trim();
  return value ? value : undefined;
}

const wordRegexes = new Map<string, RegExp>();

/**
 * The first value of an enum that the text mentions (case-insensitive, `_` read as a space), if any.
 *
 * @example
 * ```ts
 * mentionedValue("Weather in Oslo, in fahrenheit please", ["celsius", "fahrenheit"]); // "fahrenheit"
 * ```
 */
export function mentionedValue<T>(text: string, values: readonly T[]): T | undefined {
  const lower = text.toLowerCase();
  let best: T | undefined;
  let bestAt = Number.POSITIVE_INFINITY;
  for (const value of values) {
    if (typeof value !== "string" && typeof value !== "number") continue;
    const written = String(value).toLowerCase();
    if (written.length === 0) continue;
    for (const form of new Set([written, written.replace(/[_-]+/g, " ")])) {
      let re = wordRegexes.get(form);
      if (!re) {
        re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegex(form)}(?![\\p{L}\\p{N}])`, "u");
        if (wordRegexes.size > 2000) wordRegexes.clear();
        wordRegexes.set(form, re);
      }
      const at = re.exec(lower)?.index;
      if (at !== undefined && at < bestAt) [best, bestAt] = [value, at];
    }
  }
  return best;
}
