/** The web form channel: its normaliser (the HTTP side lives in src/http). */
export {
  normalizeWebForm,
  preferredLanguage,
  WebFormSchema,
  type WebForm,
  type WebFormContext,
} from "./normalize.js";
