import { LANGUAGE_NAMES, LANGUAGES, RTL_LANGUAGES, type Language } from "../i18n/languages.js";
import { t, type TextKey } from "../i18n/texts.js";
import { LIMITS } from "../message/inbound.js";
import { countryOptions } from "./countries.js";
import { views } from "./templates.js";

/** The form's fields as the reader typed them, echoed back when something needs fixing. */
export interface FormValues {
  name: string;
  email: string;
  country: string;
  message: string;
}

export type FormField = keyof FormValues | "form";

/** One problem to show next to its field (or above the form for `form`). */
export interface FormError {
  field: FormField;
  key: TextKey;
  vars?: Record<string, string | number>;
}

export const EMPTY_FORM: FormValues = { name: "", email: "", country: "", message: "" };

/**
 * Served at /contact.css: the page needs no inline styles, so CSP can forbid them. Background,
 * text and error colours are set for both schemes, so their contrast is known (at least 4.5:1 for
 * the error text in light and dark mode; test/http/contrast.test.ts computes it from these values).
 */
export const CONTACT_CSS = `
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1a1a1a;--accent:#b00020}
@media (prefers-color-scheme:dark){:root{--bg:#121212;--fg:#ececec;--accent:#ff8a80}}
*{box-sizing:border-box}
body{font:1.05rem/1.5 system-ui,sans-serif;margin:0;padding:1rem;max-width:42rem;margin-inline:auto;background:var(--bg);color:var(--fg)}
nav ul{list-style:none;padding:0;margin:0 0 1rem;display:flex;flex-wrap:wrap;gap:.25rem .75rem;font-size:.9rem}
nav a[aria-current]{font-weight:bold;text-decoration:none}
h1{margin:.5rem 0}
fieldset{border:1px solid #8886;border-radius:6px;padding:1rem}
legend{font-weight:bold;padding:0 .4rem}
.field{margin:0 0 1rem}
label{display:block;font-weight:600;margin-bottom:.2rem}
.opt{font-weight:normal;opacity:.8}
.hint{margin:0 0 .3rem;font-size:.9rem;opacity:.85}
input,select,textarea{font:inherit;width:100%;padding:.5rem;border:1px solid #888;border-radius:4px}
textarea{min-height:12rem;resize:vertical}
input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid #1a73e8;outline-offset:2px}
[aria-invalid=true]{border-color:var(--accent);border-width:2px}
.error{color:var(--accent);font-weight:600;margin:.3rem 0 0}
.summary{border:2px solid var(--accent);border-radius:6px;padding:.5rem 1rem;margin:0 0 1rem}
.summary a{color:var(--accent)}
.summary h2{font-size:1.1rem;margin:.3rem 0}
button{font:inherit;font-weight:600;padding:.6rem 1.6rem;border:0;border-radius:4px;background:#1a4d8f;color:#fff;cursor:pointer}
.hp{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`;

/** What the contact layout shows around every page: language, direction, language switcher. */
function layout(lang: Language, title: string, switchPath = "/contact") {
  return {
    lang,
    dir: RTL_LANGUAGES.has(lang) ? "rtl" : "ltr",
    title,
    navLabel: t(lang, "form.language"),
    langs: LANGUAGES.map((l) => ({
      code: l,
      name: LANGUAGE_NAMES[l],
      href: `${switchPath}?lang=${l}`,
      current: l === lang,
    })),
    t: (key: TextKey, vars?: Record<string, string | number>) => t(lang, key, vars),
  };
}

/** The contact form, with the reader's input and any problems (templates/contact/form.eta). */
export function renderForm(lang: Language, values: FormValues, errors: FormError[] = []): string {
  const msg = (e: FormError) => t(lang, e.key, e.vars);
  const field = (name: FormField, hint: boolean) => {
    const e = errors.find((x) => x.field === name);
    return {
      error: e ? msg(e) : null,
      describedBy: [hint ? `${name}-hint` : "", e ? `${name}-error` : ""].filter(Boolean).join(" "),
    };
  };
  return views.render("./contact/form", {
    ...layout(lang, t(lang, "page.title")),
    values,
    fields: {
      name: field("name", false),
      email: field("email", true),
      country: field("country", false),
      message: field("message", true),
    },
    // Problems with the whole post (rate limit, outage) are not the reader's mistakes: they get
    // their own heading, and the reader's input stays in the form below.
    summary:
      errors.length === 0
        ? null
        : {
            notSent: errors.every((e) => e.field === "form"),
            items: errors.map((e) => ({ field: e.field, text: msg(e) })),
          },
    countries: countryOptions(lang),
    limits: LIMITS,
  });
}

/** The page a reader sees once their message is taken in (templates/contact/thanks.eta). */
export function renderThanks(lang: Language, gaveEmail: boolean): string {
  return views.render("./contact/thanks", { ...layout(lang, t(lang, "thanks.title")), gaveEmail });
}
