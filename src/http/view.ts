import { escapeHtml as esc } from "../delivery/compose.js";
import { LANGUAGE_NAMES, LANGUAGES, RTL_LANGUAGES, type Language } from "../i18n/languages.js";
import { t, type TextKey } from "../i18n/texts.js";
import { LIMITS } from "../message/inbound.js";
import { countryOptions } from "./countries.js";

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

function page(lang: Language, title: string, body: string, switchPath = "/contact"): string {
  const dir = RTL_LANGUAGES.has(lang) ? "rtl" : "ltr";
  const langs = LANGUAGES.map(
    (l) =>
      `<li><a href="${switchPath}?lang=${l}" lang="${l}" hreflang="${l}"${l === lang ? ' aria-current="page"' : ""}>${esc(LANGUAGE_NAMES[l])}</a></li>`,
  ).join("");
  return `<!doctype html>
<html lang="${lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="/contact.css">
</head>
<body>
<nav aria-label="${esc(t(lang, "form.language"))}"><ul>${langs}</ul></nav>
<main>
${body}
</main>
</body>
</html>
`;
}

function errorFor(lang: Language, errors: FormError[], field: FormField): FormError | undefined {
  return errors.find((e) => e.field === field);
}

/** The contact form, with the reader's input and any problems. */
export function renderForm(lang: Language, values: FormValues, errors: FormError[] = []): string {
  const msg = (e: FormError) => t(lang, e.key, e.vars);
  const described = (field: FormField, hint: boolean) => {
    const ids = [hint ? `${field}-hint` : "", errorFor(lang, errors, field) ? `${field}-error` : ""]
      .filter(Boolean)
      .join(" ");
    return `${ids ? ` aria-describedby="${ids}"` : ""}${errorFor(lang, errors, field) ? ' aria-invalid="true"' : ""}`;
  };
  const errorLine = (field: FormField) => {
    const e = errorFor(lang, errors, field);
    return e ? `<p id="${field}-error" class="error">${esc(msg(e))}</p>` : "";
  };
  const optional = `<span class="opt">${esc(t(lang, "form.optional"))}</span>`;
  // Problems with the whole post (rate limit, outage) are not the reader's mistakes: they get
  // their own heading, and the reader's input stays in the form below.
  const notSent = errors.length > 0 && errors.every((e) => e.field === "form");
  const summary =
    errors.length === 0
      ? ""
      : notSent
        ? `<div class="summary" role="alert" tabindex="-1" id="problems">
<h2>${esc(t(lang, "err.notSent"))}</h2>
${errors.map((e) => `<p>${esc(msg(e))}</p>`).join("")}
</div>`
        : `<div class="summary" role="alert" tabindex="-1" id="problems">
<p>${esc(t(lang, "err.summary"))}</p>
<ul>${errors
            .map((e) =>
              e.field === "form"
                ? `<li>${esc(msg(e))}</li>`
                : `<li><a href="#${e.field}">${esc(msg(e))}</a></li>`,
            )
            .join("")}</ul>
</div>`;
  const options = countryOptions(lang)
    .map(
      (c) =>
        `<option value="${c.code}"${c.code === values.country ? " selected" : ""}>${esc(c.name)}</option>`,
    )
    .join("");
  const body = `<h1>${esc(t(lang, "page.title"))}</h1>
<p>${esc(t(lang, "form.intro"))}</p>
${summary}
<form method="post" action="/contact" accept-charset="utf-8">
<input type="hidden" name="lang" value="${lang}">
<fieldset>
<legend>${esc(t(lang, "form.legend"))}</legend>
<div class="field">
<label for="name">${esc(t(lang, "form.name"))} ${optional}</label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="${LIMITS.nameChars}" value="${esc(values.name)}"${described("name", false)}>
${errorLine("name")}
</div>
<div class="field">
<label for="email">${esc(t(lang, "form.email"))} ${optional}</label>
<p id="email-hint" class="hint">${esc(t(lang, "form.emailHint"))}</p>
<input id="email" name="email" type="email" dir="ltr" autocomplete="email" maxlength="320" value="${esc(values.email)}"${described("email", true)}>
${errorLine("email")}
</div>
<div class="field">
<label for="country">${esc(t(lang, "form.country"))} ${optional}</label>
<select id="country" name="country" autocomplete="country"${described("country", false)}>
<option value="">${esc(t(lang, "form.countryNone"))}</option>
${options}
</select>
${errorLine("country")}
</div>
<div class="field">
<label for="message">${esc(t(lang, "form.message"))}</label>
<p id="message-hint" class="hint">${esc(t(lang, "form.messageHint", { max: LIMITS.textChars }))}</p>
<textarea id="message" name="message" rows="10" required maxlength="${LIMITS.textChars}" dir="auto"${described("message", true)}>${esc(values.message)}</textarea>
${errorLine("message")}
</div>
<div class="hp" aria-hidden="true">
<label for="website">${esc(t(lang, "form.honeypot"))}</label>
<input id="website" name="website" type="text" tabindex="-1" autocomplete="off">
</div>
<button type="submit">${esc(t(lang, "form.submit"))}</button>
</fieldset>
</form>`;
  return page(lang, t(lang, "page.title"), body);
}

/** The page a reader sees once their message is taken in. */
export function renderThanks(lang: Language, gaveEmail: boolean): string {
  const body = `<h1>${esc(t(lang, "thanks.title"))}</h1>
<p role="status">${esc(t(lang, "thanks.body"))}</p>
<p>${esc(t(lang, gaveEmail ? "thanks.replyEmail" : "thanks.noReply"))}</p>
<p><a href="/contact?lang=${lang}">${esc(t(lang, "thanks.back"))}</a></p>`;
  return page(lang, t(lang, "thanks.title"), body);
}
