/* Texts for readers in en, it, de, fr, sv, es. Written to be polite and plain, not literal. */

const en = {
  "page.title": "Contact us",
  "form.intro":
    "Write to us. We will pass your message on to the group of our network nearest to you, and they will reply.",
  "form.legend": "Your message",
  "form.name": "Name",
  "form.email": "Email address",
  "form.emailHint": "So that we can reply. Without it we cannot answer you.",
  "form.country": "Where are you writing from?",
  "form.countryNone": "— I'd rather not say —",
  "form.message": "Message",
  "form.messageHint": "Up to {max} characters.",
  "form.optional": "(optional)",
  "form.submit": "Send",
  "form.language": "Language",
  "form.honeypot": "Leave this field empty",
  "err.notSent": "Your message has not been sent yet. What you wrote is still here.",
  "err.summary": "Please check the form:",
  "err.messageRequired": "Please write a message.",
  "err.messageTooLong": "Your message is too long: at most {max} characters, please.",
  "err.nameTooLong": "The name is too long: at most {max} characters, please.",
  "err.emailInvalid": "This email address does not look right. Please check it.",
  "err.invalidChars": "This field contains characters we cannot accept. Please remove them.",
  "err.countryInvalid": "Please choose a country from the list.",
  "err.tooLarge": "What you sent is too large. Please shorten your message.",
  "err.rateLimited":
    "You have sent several messages in a short time. Please wait a few minutes and try again.",
  "err.unavailable": "We could not take your message just now. Please try again in a few minutes.",
  "thanks.title": "Thank you",
  "thanks.body":
    "We have received your message and will pass it on to the group of our network nearest to you.",
  "thanks.replyEmail": "They will reply to the email address you gave us.",
  "thanks.noReply": "You did not give an email address, so they will not be able to reply to you.",
  "thanks.back": "Write another message",
  ack: "Thank you, we have received your message and passed it on to {affiliate}. They will reply to you here.",
  "ask.location":
    "Thank you for your message. So that we can pass it on to the comrades nearest to you: where are you writing from? A country or a city is enough.",
  start:
    "Hello! Write your message here and we will pass it to the comrades nearest to you. It helps if you tell us which city or country you are writing from.",
  "answer.intro": "Reply from {affiliate}:",
  "answer.part": "(part {n} of {total})",
  "answer.outro.chat": "You can reply here.",
  "answer.outro.email": "You can reply to this email.",
  "answer.outro.form": "To write to us again, please use the contact form.",
  "answer.subject": "Reply from {affiliate}",
  "reroute.notice": "Your conversation has been passed on to {affiliate}. They will reply to you.",
  "ask.other": "Another country",
  "ask.decline": "I'd rather not say",
  "ask.text": "Answer with a number from the list, or write your country or city.",
  "ask.other.prompt": "Please write the name of your country or city.",
  "ask.decline.words":
    "no, don't know, I don't know, not sure, rather not say, prefer not to say, skip, none",
};

const it: typeof en = {
  "page.title": "Contattaci",
  "form.intro":
    "Scrivici. Inoltreremo il tuo messaggio al gruppo della nostra rete più vicino a te, che ti risponderà.",
  "form.legend": "Il tuo messaggio",
  "form.name": "Nome",
  "form.email": "Indirizzo email",
  "form.emailHint": "Per poterti rispondere. Senza, non possiamo risponderti.",
  "form.country": "Da dove scrivi?",
  "form.countryNone": "— Preferisco non dirlo —",
  "form.message": "Messaggio",
  "form.messageHint": "Al massimo {max} caratteri.",
  "form.optional": "(facoltativo)",
  "form.submit": "Invia",
  "form.language": "Lingua",
  "form.honeypot": "Lascia vuoto questo campo",
  "err.notSent":
    "Il tuo messaggio non è ancora stato inviato. Quello che hai scritto è ancora qui.",
  "err.summary": "Controlla il modulo, per favore:",
  "err.messageRequired": "Scrivi un messaggio, per favore.",
  "err.messageTooLong": "Il messaggio è troppo lungo: al massimo {max} caratteri, per favore.",
  "err.nameTooLong": "Il nome è troppo lungo: al massimo {max} caratteri, per favore.",
  "err.emailInvalid": "Questo indirizzo email non sembra corretto. Controllalo, per favore.",
  "err.invalidChars":
    "Questo campo contiene caratteri che non possiamo accettare. Rimuovili, per favore.",
  "err.countryInvalid": "Scegli un paese dall'elenco, per favore.",
  "err.tooLarge": "Quello che hai inviato è troppo grande. Accorcia il messaggio, per favore.",
  "err.rateLimited":
    "Hai inviato diversi messaggi in poco tempo. Attendi qualche minuto e riprova, per favore.",
  "err.unavailable":
    "Non siamo riusciti a ricevere il tuo messaggio in questo momento. Riprova tra qualche minuto.",
  "thanks.title": "Grazie",
  "thanks.body":
    "Abbiamo ricevuto il tuo messaggio e lo inoltreremo al gruppo della nostra rete più vicino a te.",
  "thanks.replyEmail": "Ti risponderanno all'indirizzo email che ci hai dato.",
  "thanks.noReply": "Non hai indicato un indirizzo email, quindi non potranno risponderti.",
  "thanks.back": "Scrivi un altro messaggio",
  ack: "Grazie, abbiamo ricevuto il tuo messaggio e l'abbiamo inoltrato a {affiliate}. Ti risponderanno qui.",
  "ask.location":
    "Grazie per il tuo messaggio. Per inoltrarlo ai compagni più vicini a te: da dove scrivi? Basta un paese o una città.",
  start:
    "Ciao! Scrivi qui il tuo messaggio e lo inoltreremo ai compagni più vicini a te. Ci aiuta sapere da quale città o paese scrivi.",
  "answer.intro": "Risposta da {affiliate}:",
  "answer.part": "(parte {n} di {total})",
  "answer.outro.chat": "Puoi rispondere qui.",
  "answer.outro.email": "Puoi rispondere a questa email.",
  "answer.outro.form": "Per scriverci di nuovo, usa il modulo di contatto.",
  "answer.subject": "Risposta da {affiliate}",
  "reroute.notice": "La tua conversazione è stata affidata a {affiliate}. Ti risponderanno loro.",
  "ask.other": "Un altro paese",
  "ask.decline": "Preferisco non dirlo",
  "ask.text": "Rispondi con un numero della lista, oppure scrivi il tuo paese o la tua città.",
  "ask.other.prompt": "Scrivi il nome del tuo paese o della tua città.",
  "ask.decline.words": "no, non so, non lo so, preferisco non dirlo, nessuno",
};

const de: typeof en = {
  "page.title": "Kontakt",
  "form.intro":
    "Schreib uns. Wir leiten deine Nachricht an die Gruppe unseres Netzwerks weiter, die dir am nächsten ist, und sie antwortet dir.",
  "form.legend": "Deine Nachricht",
  "form.name": "Name",
  "form.email": "E-Mail-Adresse",
  "form.emailHint": "Damit wir antworten können. Ohne sie können wir dir nicht antworten.",
  "form.country": "Von wo schreibst du?",
  "form.countryNone": "— Möchte ich nicht angeben —",
  "form.message": "Nachricht",
  "form.messageHint": "Höchstens {max} Zeichen.",
  "form.optional": "(freiwillig)",
  "form.submit": "Senden",
  "form.language": "Sprache",
  "form.honeypot": "Dieses Feld bitte leer lassen",
  "err.notSent":
    "Deine Nachricht ist noch nicht gesendet. Was du geschrieben hast, steht noch hier.",
  "err.summary": "Bitte überprüfe das Formular:",
  "err.messageRequired": "Bitte schreib eine Nachricht.",
  "err.messageTooLong": "Deine Nachricht ist zu lang: bitte höchstens {max} Zeichen.",
  "err.nameTooLong": "Der Name ist zu lang: bitte höchstens {max} Zeichen.",
  "err.emailInvalid": "Diese E-Mail-Adresse scheint nicht zu stimmen. Bitte überprüfe sie.",
  "err.invalidChars":
    "Dieses Feld enthält Zeichen, die wir nicht annehmen können. Bitte entferne sie.",
  "err.countryInvalid": "Bitte wähle ein Land aus der Liste.",
  "err.tooLarge": "Was du gesendet hast, ist zu groß. Bitte kürze deine Nachricht.",
  "err.rateLimited":
    "Du hast in kurzer Zeit mehrere Nachrichten gesendet. Bitte warte ein paar Minuten und versuche es dann noch einmal.",
  "err.unavailable":
    "Wir konnten deine Nachricht gerade nicht annehmen. Bitte versuche es in ein paar Minuten noch einmal.",
  "thanks.title": "Danke",
  "thanks.body":
    "Wir haben deine Nachricht erhalten und leiten sie an die Gruppe unseres Netzwerks weiter, die dir am nächsten ist.",
  "thanks.replyEmail": "Die Antwort kommt an die E-Mail-Adresse, die du angegeben hast.",
  "thanks.noReply": "Du hast keine E-Mail-Adresse angegeben, daher kann man dir nicht antworten.",
  "thanks.back": "Noch eine Nachricht schreiben",
  ack: "Danke, wir haben deine Nachricht erhalten und an {affiliate} weitergeleitet. Die Antwort kommt hier.",
  "ask.location":
    "Danke für deine Nachricht. Damit wir sie an die Genossinnen und Genossen in deiner Nähe weiterleiten können: Von wo schreibst du? Ein Land oder eine Stadt genügt.",
  start:
    "Hallo! Schreib uns hier deine Nachricht, wir leiten sie an die Genossinnen und Genossen in deiner Nähe weiter. Es hilft, wenn du uns sagst, aus welcher Stadt oder welchem Land du schreibst.",
  "answer.intro": "Antwort von {affiliate}:",
  "answer.part": "(Teil {n} von {total})",
  "answer.outro.chat": "Du kannst hier antworten.",
  "answer.outro.email": "Du kannst auf diese E-Mail antworten.",
  "answer.outro.form": "Wenn du uns wieder schreiben willst, nutze bitte das Kontaktformular.",
  "answer.subject": "Antwort von {affiliate}",
  "reroute.notice": "Dein Gespräch wurde an {affiliate} übergeben. Die Antwort kommt von dort.",
  "ask.other": "Ein anderes Land",
  "ask.decline": "Möchte ich nicht sagen",
  "ask.text": "Antworte mit einer Zahl aus der Liste oder schreib dein Land oder deine Stadt.",
  "ask.other.prompt": "Bitte schreib den Namen deines Landes oder deiner Stadt.",
  "ask.decline.words":
    "nein, weiß nicht, ich weiß nicht, keine Angabe, lieber nicht, möchte ich nicht sagen",
};

const fr: typeof en = {
  "page.title": "Nous contacter",
  "form.intro":
    "Écrivez-nous. Nous transmettrons votre message au groupe de notre réseau le plus proche de vous, qui vous répondra.",
  "form.legend": "Votre message",
  "form.name": "Nom",
  "form.email": "Adresse e-mail",
  "form.emailHint":
    "Pour que nous puissions vous répondre. Sans elle, nous ne pouvons pas vous répondre.",
  "form.country": "D'où nous écrivez-vous ?",
  "form.countryNone": "— Je préfère ne pas le dire —",
  "form.message": "Message",
  "form.messageHint": "{max} caractères au maximum.",
  "form.optional": "(facultatif)",
  "form.submit": "Envoyer",
  "form.language": "Langue",
  "form.honeypot": "Laissez ce champ vide",
  "err.notSent": "Votre message n'a pas encore été envoyé. Ce que vous avez écrit est toujours là.",
  "err.summary": "Merci de vérifier le formulaire :",
  "err.messageRequired": "Merci d'écrire un message.",
  "err.messageTooLong":
    "Votre message est trop long : {max} caractères au maximum, s'il vous plaît.",
  "err.nameTooLong": "Le nom est trop long : {max} caractères au maximum, s'il vous plaît.",
  "err.emailInvalid": "Cette adresse e-mail ne semble pas correcte. Merci de la vérifier.",
  "err.invalidChars":
    "Ce champ contient des caractères que nous ne pouvons pas accepter. Merci de les retirer.",
  "err.countryInvalid": "Merci de choisir un pays dans la liste.",
  "err.tooLarge": "Ce que vous avez envoyé est trop volumineux. Merci de raccourcir votre message.",
  "err.rateLimited":
    "Vous avez envoyé plusieurs messages en peu de temps. Merci de patienter quelques minutes avant de réessayer.",
  "err.unavailable":
    "Nous n'avons pas pu recevoir votre message pour le moment. Merci de réessayer dans quelques minutes.",
  "thanks.title": "Merci",
  "thanks.body":
    "Nous avons bien reçu votre message et le transmettrons au groupe de notre réseau le plus proche de vous.",
  "thanks.replyEmail": "La réponse vous parviendra à l'adresse e-mail que vous nous avez donnée.",
  "thanks.noReply":
    "Vous n'avez pas indiqué d'adresse e-mail : personne ne pourra donc vous répondre.",
  "thanks.back": "Écrire un autre message",
  ack: "Merci, nous avons bien reçu votre message et l'avons transmis à {affiliate}. Ils vous répondront ici.",
  "ask.location":
    "Merci pour votre message. Pour le transmettre aux camarades les plus proches de vous : d'où nous écrivez-vous ? Un pays ou une ville suffit.",
  start:
    "Bonjour ! Écrivez votre message ici et nous le transmettrons aux camarades les plus proches de vous. Dites-nous si possible de quelle ville ou de quel pays vous écrivez.",
  "answer.intro": "Réponse de {affiliate} :",
  "answer.part": "(partie {n} sur {total})",
  "answer.outro.chat": "Vous pouvez répondre ici.",
  "answer.outro.email": "Vous pouvez répondre à cet e-mail.",
  "answer.outro.form": "Pour nous écrire à nouveau, utilisez le formulaire de contact.",
  "answer.subject": "Réponse de {affiliate}",
  "reroute.notice": "Votre conversation a été confiée à {affiliate}. Ils vous répondront.",
  "ask.other": "Un autre pays",
  "ask.decline": "Je préfère ne pas le dire",
  "ask.text": "Répondez par un numéro de la liste, ou écrivez votre pays ou votre ville.",
  "ask.other.prompt": "Écrivez le nom de votre pays ou de votre ville, s'il vous plaît.",
  "ask.decline.words": "non, je ne sais pas, sais pas, je préfère ne pas le dire, aucun",
};

const sv: typeof en = {
  "page.title": "Kontakta oss",
  "form.intro":
    "Skriv till oss. Vi skickar ditt meddelande vidare till den grupp i vårt nätverk som finns närmast dig, och de svarar dig.",
  "form.legend": "Ditt meddelande",
  "form.name": "Namn",
  "form.email": "E-postadress",
  "form.emailHint": "Så att vi kan svara. Utan den kan vi inte svara dig.",
  "form.country": "Var skriver du ifrån?",
  "form.countryNone": "— Vill helst inte säga —",
  "form.message": "Meddelande",
  "form.messageHint": "Högst {max} tecken.",
  "form.optional": "(frivilligt)",
  "form.submit": "Skicka",
  "form.language": "Språk",
  "form.honeypot": "Lämna det här fältet tomt",
  "err.notSent": "Ditt meddelande har inte skickats än. Det du skrev finns kvar här.",
  "err.summary": "Kontrollera formuläret:",
  "err.messageRequired": "Skriv ett meddelande, tack.",
  "err.messageTooLong": "Ditt meddelande är för långt: högst {max} tecken, tack.",
  "err.nameTooLong": "Namnet är för långt: högst {max} tecken, tack.",
  "err.emailInvalid": "E-postadressen ser inte riktigt rätt ut. Kontrollera den, tack.",
  "err.invalidChars": "Fältet innehåller tecken som vi inte kan ta emot. Ta bort dem, tack.",
  "err.countryInvalid": "Välj ett land i listan, tack.",
  "err.tooLarge": "Det du skickade är för stort. Korta ner ditt meddelande, tack.",
  "err.rateLimited":
    "Du har skickat flera meddelanden på kort tid. Vänta några minuter och försök sedan igen.",
  "err.unavailable": "Vi kunde inte ta emot ditt meddelande just nu. Försök igen om några minuter.",
  "thanks.title": "Tack",
  "thanks.body":
    "Vi har tagit emot ditt meddelande och skickar det vidare till den grupp i vårt nätverk som finns närmast dig.",
  "thanks.replyEmail": "De svarar till den e-postadress du angav.",
  "thanks.noReply": "Du angav ingen e-postadress, så de kan inte svara dig.",
  "thanks.back": "Skriv ett nytt meddelande",
  ack: "Tack, vi har tagit emot ditt meddelande och skickat det vidare till {affiliate}. De svarar dig här.",
  "ask.location":
    "Tack för ditt meddelande. Så att vi kan skicka det till kamraterna närmast dig: var skriver du ifrån? Ett land eller en stad räcker.",
  start:
    "Hej! Skriv ditt meddelande här så skickar vi det vidare till kamraterna närmast dig. Berätta gärna vilken stad eller vilket land du skriver från.",
  "answer.intro": "Svar från {affiliate}:",
  "answer.part": "(del {n} av {total})",
  "answer.outro.chat": "Du kan svara här.",
  "answer.outro.email": "Du kan svara på det här mejlet.",
  "answer.outro.form": "Om du vill skriva till oss igen, använd kontaktformuläret.",
  "answer.subject": "Svar från {affiliate}",
  "reroute.notice": "Ditt samtal har lämnats över till {affiliate}. De svarar dig.",
  "ask.other": "Ett annat land",
  "ask.decline": "Det vill jag helst inte säga",
  "ask.text": "Svara med ett nummer från listan, eller skriv ditt land eller din stad.",
  "ask.other.prompt": "Skriv namnet på ditt land eller din stad.",
  "ask.decline.words": "nej, vet inte, jag vet inte, vill inte säga, inget",
};

const es: typeof en = {
  "page.title": "Contacto",
  "form.intro":
    "Escríbenos. Haremos llegar tu mensaje al grupo de nuestra red más cercano a ti, que te responderá.",
  "form.legend": "Tu mensaje",
  "form.name": "Nombre",
  "form.email": "Correo electrónico",
  "form.emailHint": "Para poder responderte. Sin él no podemos contestarte.",
  "form.country": "¿Desde dónde nos escribes?",
  "form.countryNone": "— Prefiero no decirlo —",
  "form.message": "Mensaje",
  "form.messageHint": "Como máximo {max} caracteres.",
  "form.optional": "(opcional)",
  "form.submit": "Enviar",
  "form.language": "Idioma",
  "form.honeypot": "Deja este campo vacío",
  "err.notSent": "Tu mensaje todavía no se ha enviado. Lo que escribiste sigue aquí.",
  "err.summary": "Por favor, revisa el formulario:",
  "err.messageRequired": "Por favor, escribe un mensaje.",
  "err.messageTooLong": "Tu mensaje es demasiado largo: como máximo {max} caracteres, por favor.",
  "err.nameTooLong": "El nombre es demasiado largo: como máximo {max} caracteres, por favor.",
  "err.emailInvalid": "Esta dirección de correo no parece correcta. Por favor, revísala.",
  "err.invalidChars":
    "Este campo contiene caracteres que no podemos aceptar. Por favor, elimínalos.",
  "err.countryInvalid": "Por favor, elige un país de la lista.",
  "err.tooLarge": "Lo que has enviado es demasiado grande. Por favor, acorta tu mensaje.",
  "err.rateLimited":
    "Has enviado varios mensajes en poco tiempo. Por favor, espera unos minutos y vuelve a intentarlo.",
  "err.unavailable":
    "No hemos podido recibir tu mensaje en este momento. Por favor, inténtalo de nuevo en unos minutos.",
  "thanks.title": "Gracias",
  "thanks.body":
    "Hemos recibido tu mensaje y lo haremos llegar al grupo de nuestra red más cercano a ti.",
  "thanks.replyEmail": "Te responderán a la dirección de correo que nos diste.",
  "thanks.noReply": "No indicaste una dirección de correo, así que no podrán responderte.",
  "thanks.back": "Escribir otro mensaje",
  ack: "Gracias, hemos recibido tu mensaje y lo hemos enviado a {affiliate}. Te responderán por aquí.",
  "ask.location":
    "Gracias por tu mensaje. Para hacerlo llegar a los compañeros más cercanos a ti: ¿desde dónde nos escribes? Basta con un país o una ciudad.",
  start:
    "¡Hola! Escribe aquí tu mensaje y lo haremos llegar a los compañeros más cercanos a ti. Nos ayuda saber desde qué ciudad o país escribes.",
  "answer.intro": "Respuesta de {affiliate}:",
  "answer.part": "(parte {n} de {total})",
  "answer.outro.chat": "Puedes responder aquí.",
  "answer.outro.email": "Puedes responder a este correo.",
  "answer.outro.form": "Para escribirnos de nuevo, usa el formulario de contacto.",
  "answer.subject": "Respuesta de {affiliate}",
  "reroute.notice": "Tu conversación ha pasado a {affiliate}. Te responderán ellos.",
  "ask.other": "Otro país",
  "ask.decline": "Prefiero no decirlo",
  "ask.text": "Responde con un número de la lista, o escribe tu país o tu ciudad.",
  "ask.other.prompt": "Escribe el nombre de tu país o de tu ciudad, por favor.",
  "ask.decline.words": "no, no sé, no lo sé, prefiero no decirlo, ninguno",
};

/** en, it, de, fr, sv, es. */
export const MESSAGES_A = { en, it, de, fr, sv, es };
