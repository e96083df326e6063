/** The eleven languages the network can answer in (ROUTING.md). */
export const GREETING_LANGUAGES = [
  "en",
  "it",
  "de",
  "fr",
  "sv",
  "es",
  "fa",
  "pl",
  "ru",
  "nl",
  "pt",
] as const;
export type GreetingLanguage = (typeof GREETING_LANGUAGES)[number];

/** Answer to `/start`: a short welcome inviting the reader to write, and to say where they write from. */
export const START_GREETING: Record<GreetingLanguage, string> = {
  en: "Hello! Write your message here and we will pass it to the comrades nearest to you. It helps if you tell us which city or country you are writing from.",
  it: "Ciao! Scrivi qui il tuo messaggio e lo inoltreremo ai compagni più vicini a te. Ci aiuta sapere da quale città o paese scrivi.",
  de: "Hallo! Schreib uns hier deine Nachricht, wir leiten sie an die Genossinnen und Genossen in deiner Nähe weiter. Es hilft, wenn du uns sagst, aus welcher Stadt oder welchem Land du schreibst.",
  fr: "Bonjour ! Écris ton message ici et nous le transmettrons aux camarades les plus proches de toi. Dis-nous si possible de quelle ville ou de quel pays tu écris.",
  sv: "Hej! Skriv ditt meddelande här så skickar vi det vidare till kamraterna närmast dig. Berätta gärna vilken stad eller vilket land du skriver från.",
  es: "¡Hola! Escribe aquí tu mensaje y lo haremos llegar a los compañeros más cercanos a ti. Nos ayuda saber desde qué ciudad o país escribes.",
  fa: "سلام! پیام خود را اینجا بنویسید تا آن را به نزدیک‌ترین رفقا برسانیم. لطفاً بگویید از کدام شهر یا کشور می‌نویسید.",
  pl: "Cześć! Napisz tutaj swoją wiadomość, a przekażemy ją towarzyszom najbliżej ciebie. Pomoże nam, jeśli napiszesz, z jakiego miasta lub kraju piszesz.",
  ru: "Здравствуйте! Напишите здесь своё сообщение, и мы передадим его ближайшим к вам товарищам. Пожалуйста, укажите, из какого города или страны вы пишете.",
  nl: "Hallo! Schrijf hier je bericht en we sturen het door naar de kameraden die het dichtst bij je zijn. Het helpt als je vertelt uit welke stad of welk land je schrijft.",
  pt: "Olá! Escreve aqui a tua mensagem e vamos encaminhá-la aos camaradas mais próximos de ti. Ajuda-nos saber de que cidade ou país escreves.",
};

/** The greeting for a Telegram `language_code` ("pt-br" → pt); English when the language is not one of the eleven. */
export function startGreeting(languageCode: string | undefined): string {
  const primary = (languageCode ?? "").toLowerCase().split(/[-_]/)[0] ?? "";
  return (GREETING_LANGUAGES as readonly string[]).includes(primary)
    ? START_GREETING[primary as GreetingLanguage]
    : START_GREETING.en;
}
