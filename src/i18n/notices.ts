/*
 * Texts of the notices contact-router emails to affiliates: confirmations of commands, notices
 * after a send (attachments dropped, reader unreachable, delivery uncertain), reminders and
 * hand-overs of escalation, and explanatory bounces. Written, like the forward
 * (./forward.ts), in the affiliate's first language that has texts here (German, Italian,
 * French, English; else English). `{name}` placeholders are filled by `nt`.
 */

import { forwardLanguage } from "./forward.js";

const en = {
  "footer.ref": "Conversation: {ref}",
  "footer.auto": "contact-router (this message was written automatically)",
  "bounce.subject": "Your reply was not passed on",
  "bounce.headline": "Your reply was not passed on to the reader.",
  "invalid.headline": "Nothing was done with your reply to {ref}.",
  "invalid.lines": "These lines look like commands but are not: {lines}.",
  "invalid.both": "A reply can carry #reroute or #close, not both.",
  "invalid.help":
    "The commands are #note <text>, #reroute <affiliate id> [why] and #close, each on its own line at the top of the reply. Nothing was sent to the reader.",
  "reroute.failed": "Conversation {ref} was not rerouted.",
  "reroute.unknown": 'There is no affiliate "{id}". The affiliate ids are: {ids}.',
  "reroute.same": "The conversation is already with {id}.",
  "reroute.nothing": "Nothing was changed and nothing was sent to the reader.",
  "attachments.headline": "Your answer in {ref} was passed on without its attachments.",
  "attachments.list": "The relay passes on text only, so the reader did not get: {files}.",
  "attachments.link":
    "If the reader needs a file, put it on a site you trust and send the link in a reply.",
  "confirm.headline": "Done: {commands} in {ref}.",
  "confirm.note":
    "A note was added to the conversation. Notes are never sent to the reader; they show in the conversation's history in later emails. A note is not an answer: if the reader is waiting, they still are.",
  "confirm.notes":
    "{n} notes were added to the conversation. Notes are never sent to the reader; they show in the conversation's history in later emails. A note is not an answer: if the reader is waiting, they still are.",
  "confirm.reroute":
    "The conversation was handed over to {affiliate}, with its whole history. Your reply address for it no longer works.",
  "confirm.rerouteReason":
    "The conversation was handed over to {affiliate}, with its whole history and your reason. Your reply address for it no longer works.",
  "confirm.readerTold": "The reader was told on {channel}, in their language.",
  "confirm.readerNotTold": "The reader left no address and was not told.",
  "confirm.close":
    "The conversation is closed. If the reader writes again, it starts a new conversation, routed afresh.",
  "confirm.nothingElse": "Nothing else from your reply was sent to the reader.",
  "uncertain.headline": "We could not confirm that your answer reached the reader.",
  "uncertain.what":
    "Part {part} of what was to be sent to the reader on {channel} was being sent when the connection broke or the service stopped. To be sure the reader does not get it twice, it was not sent again.",
  "uncertain.again": "If the reader says it did not arrive, send it again.",
  "unreachable.headline": "Your answer could not be delivered to the reader.",
  "unreachable.why":
    "{channel} refused it for good ({code}). This usually means the reader blocked the bot, deleted the chat, closed their direct messages or gave an address that does not exist.",
  "unreachable.marked":
    "The reader is marked unreachable there. If they write again, your next answer will be tried again.",
  "remind.headline": "Reminder: conversation {ref} is waiting for your answer.",
  "remind.waited": "The reader wrote on {channel} on {date} and has had no answer for {wait}.",
  "remind.followUp":
    "The reader wrote again on {channel} on {date}, after your last answer, and has had no answer to it for {wait}.",
  "remind.newest": "Their newest message:",
  "remind.notes": "Notes (#note) are not answers: the reader has still heard nothing.",
  "remind.howTo":
    "Reply to this email to answer the reader: what you write above the quoted text is passed on. If another group should take it, reply with #reroute <affiliate id>; to end it, #close.",
  "remind.only": "This is the only reminder.",
  "remind.next":
    "If it is still unanswered {wait} from now, it will be handed over to {affiliate}.",
  "handedOver.reason": "no answer from {affiliate} within {wait}, nor after a reminder",
  "handedOver.headline": "Conversation {ref} was handed over to {affiliate}.",
  "handedOver.why":
    "It had no answer for {wait}, and the reminder went unanswered, so {affiliate} received it with its whole history. Your reply address for it no longer works.",
  "refusal.revoked":
    "Conversation {ref} was handed over to {affiliate}, so your reply was not passed on to the reader. An admin can see it in the relay's quarantine.",
  "refusal.closed":
    "Conversation {ref} was closed, so your reply was not passed on. If the reader writes again, you will get a new email to answer.",
  "refusal.sender":
    "Only the inbox of the affiliate handling conversation {ref} ({affiliate}) and the reply_from addresses listed for it in routing-rules.yaml can answer through the relay, so your reply was not passed on. Ask your admin to add your address as reply_from if you answer for {affiliate}.",
  "refusal.auth":
    "Your reply did not pass sender authentication (DMARC: {verdict}), so the relay cannot be sure it came from you and did not pass it on. Send from your organisation's own mail server, with SPF or DKIM aligned to your address.",
  "refusal.empty":
    "Your reply to conversation {ref} had no text of its own above the quoted email, so nothing was sent to the reader (the relay never sends a quote). Write your answer above the quoted text and send it again. An admin can see the reply in the relay's quarantine.",
  "refusal.noAddress":
    "The reader of conversation {ref} used the web form without leaving an email address, so no answer can reach them. Commands (#note, #reroute, #close) still work.",
} as const;

export type NoticeKey = keyof typeof en;
type Catalogue = Record<NoticeKey, string>;

const de: Catalogue = {
  "footer.ref": "Gespräch: {ref}",
  "footer.auto": "contact-router (diese Nachricht wurde automatisch geschrieben)",
  "bounce.subject": "Eure Antwort wurde nicht weitergeleitet",
  "bounce.headline": "Eure Antwort wurde nicht an die Person weitergeleitet.",
  "invalid.headline": "Mit eurer Antwort auf {ref} wurde nichts gemacht.",
  "invalid.lines": "Diese Zeilen sehen aus wie Befehle, sind aber keine: {lines}.",
  "invalid.both": "Eine Antwort kann #reroute oder #close enthalten, nicht beides.",
  "invalid.help":
    "Die Befehle sind #note <Text>, #reroute <Gruppen-ID> [Grund] und #close, jeweils in einer eigenen Zeile ganz oben in der Antwort. An die Person wurde nichts geschickt.",
  "reroute.failed": "Gespräch {ref} wurde nicht übergeben.",
  "reroute.unknown": "Es gibt keine Gruppe „{id}“. Die Gruppen-IDs sind: {ids}.",
  "reroute.same": "Das Gespräch liegt schon bei {id}.",
  "reroute.nothing": "Es wurde nichts geändert und nichts an die Person geschickt.",
  "attachments.headline": "Eure Antwort in {ref} wurde ohne ihre Anhänge weitergeleitet.",
  "attachments.list":
    "Das Relay leitet nur Text weiter, die Person hat also Folgendes nicht bekommen: {files}.",
  "attachments.link":
    "Braucht die Person eine Datei, legt sie auf eine Seite, der ihr vertraut, und schickt den Link in einer Antwort.",
  "confirm.headline": "Erledigt: {commands} in {ref}.",
  "confirm.note":
    "Eine Notiz wurde zum Gespräch hinzugefügt. Notizen gehen nie an die Person; sie stehen im Verlauf des Gesprächs in späteren E-Mails. Eine Notiz ist keine Antwort: Wartet die Person, dann wartet sie weiter.",
  "confirm.notes":
    "{n} Notizen wurden zum Gespräch hinzugefügt. Notizen gehen nie an die Person; sie stehen im Verlauf des Gesprächs in späteren E-Mails. Eine Notiz ist keine Antwort: Wartet die Person, dann wartet sie weiter.",
  "confirm.reroute":
    "Das Gespräch wurde mit seinem ganzen Verlauf an {affiliate} übergeben. Eure Antwortadresse dafür funktioniert nicht mehr.",
  "confirm.rerouteReason":
    "Das Gespräch wurde mit seinem ganzen Verlauf und eurem Grund an {affiliate} übergeben. Eure Antwortadresse dafür funktioniert nicht mehr.",
  "confirm.readerTold": "Die Person wurde auf {channel} in ihrer Sprache benachrichtigt.",
  "confirm.readerNotTold":
    "Die Person hat keine Adresse hinterlassen und wurde nicht benachrichtigt.",
  "confirm.close":
    "Das Gespräch ist beendet. Schreibt die Person wieder, beginnt ein neues Gespräch, das neu verteilt wird.",
  "confirm.nothingElse": "Sonst wurde nichts aus eurer Antwort an die Person geschickt.",
  "uncertain.headline": "Wir konnten nicht bestätigen, dass eure Antwort angekommen ist.",
  "uncertain.what":
    "Teil {part} dessen, was auf {channel} an die Person gehen sollte, war gerade unterwegs, als die Verbindung abbrach oder der Dienst anhielt. Damit die Person ihn nicht doppelt bekommt, wurde er nicht noch einmal geschickt.",
  "uncertain.again":
    "Sagt die Person, dass nichts angekommen ist, schickt eure Antwort noch einmal.",
  "unreachable.headline": "Eure Antwort konnte der Person nicht zugestellt werden.",
  "unreachable.why":
    "{channel} hat sie endgültig abgelehnt ({code}). Meist heißt das, dass die Person den Bot blockiert, den Chat gelöscht oder ihre Direktnachrichten geschlossen hat, oder dass ihre Adresse nicht existiert.",
  "unreachable.marked":
    "Die Person ist dort als nicht erreichbar vermerkt. Schreibt sie wieder, wird eure nächste Antwort erneut versucht.",
  "remind.headline": "Erinnerung: Gespräch {ref} wartet auf eure Antwort.",
  "remind.waited":
    "Die Person hat am {date} über {channel} geschrieben und {wait} lang keine Antwort bekommen.",
  "remind.followUp":
    "Die Person hat am {date} nach eurer letzten Antwort wieder über {channel} geschrieben und darauf {wait} lang keine Antwort bekommen.",
  "remind.newest": "Ihre neueste Nachricht:",
  "remind.notes": "Notizen (#note) sind keine Antworten: Die Person hat noch nichts gehört.",
  "remind.howTo":
    "Antwortet auf diese E-Mail, um der Person zu antworten: Was ihr über dem zitierten Text schreibt, wird weitergeleitet. Soll eine andere Gruppe es übernehmen, antwortet mit #reroute <Gruppen-ID>; zum Beenden mit #close.",
  "remind.only": "Dies ist die einzige Erinnerung.",
  "remind.next":
    "Bleibt es noch einmal {wait} lang unbeantwortet, wird es an {affiliate} übergeben.",
  "handedOver.reason": "keine Antwort von {affiliate} in {wait}, auch nicht nach einer Erinnerung",
  "handedOver.headline": "Gespräch {ref} wurde an {affiliate} übergeben.",
  "handedOver.why":
    "Es war {wait} lang unbeantwortet, und auf die Erinnerung kam auch keine Antwort, darum hat {affiliate} es mit seinem ganzen Verlauf bekommen. Eure Antwortadresse dafür funktioniert nicht mehr.",
  "refusal.revoked":
    "Gespräch {ref} wurde an {affiliate} übergeben, darum wurde eure Antwort nicht an die Person weitergeleitet. Ein Admin kann sie in der Quarantäne des Relays sehen.",
  "refusal.closed":
    "Gespräch {ref} wurde beendet, darum wurde eure Antwort nicht weitergeleitet. Schreibt die Person wieder, bekommt ihr eine neue E-Mail zum Beantworten.",
  "refusal.sender":
    "Nur das Postfach der Gruppe, die Gespräch {ref} betreut ({affiliate}), und die für sie in routing-rules.yaml eingetragenen reply_from-Adressen können über das Relay antworten, darum wurde eure Antwort nicht weitergeleitet. Bittet euren Admin, eure Adresse als reply_from einzutragen, wenn ihr für {affiliate} antwortet.",
  "refusal.auth":
    "Eure Antwort hat die Absenderprüfung nicht bestanden (DMARC: {verdict}); das Relay kann nicht sicher sein, dass sie von euch kommt, und hat sie nicht weitergeleitet. Schickt sie über den Mailserver eurer Organisation, mit SPF oder DKIM passend zu eurer Adresse.",
  "refusal.empty":
    "Eure Antwort auf Gespräch {ref} hatte über der zitierten E-Mail keinen eigenen Text, darum wurde nichts an die Person geschickt (das Relay schickt nie ein Zitat). Schreibt eure Antwort über den zitierten Text und schickt sie noch einmal. Ein Admin kann die Antwort in der Quarantäne des Relays sehen.",
  "refusal.noAddress":
    "Die Person in Gespräch {ref} hat das Webformular ohne E-Mail-Adresse benutzt, darum kann sie keine Antwort erreichen. Die Befehle (#note, #reroute, #close) funktionieren trotzdem.",
};

const it: Catalogue = {
  "footer.ref": "Conversazione: {ref}",
  "footer.auto": "contact-router (questo messaggio è stato scritto automaticamente)",
  "bounce.subject": "La vostra risposta non è stata inoltrata",
  "bounce.headline": "La vostra risposta non è stata inoltrata alla persona.",
  "invalid.headline": "Non è stato fatto nulla con la vostra risposta a {ref}.",
  "invalid.lines": "Queste righe sembrano comandi ma non lo sono: {lines}.",
  "invalid.both": "Una risposta può contenere #reroute o #close, non entrambi.",
  "invalid.help":
    "I comandi sono #note <testo>, #reroute <id del gruppo> [motivo] e #close, ciascuno su una riga a sé in cima alla risposta. Alla persona non è stato inviato nulla.",
  "reroute.failed": "La conversazione {ref} non è stata affidata ad altri.",
  "reroute.unknown": "Non esiste un gruppo «{id}». Gli id dei gruppi sono: {ids}.",
  "reroute.same": "La conversazione è già affidata a {id}.",
  "reroute.nothing": "Non è stato cambiato nulla e alla persona non è stato inviato nulla.",
  "attachments.headline": "La vostra risposta in {ref} è stata inoltrata senza allegati.",
  "attachments.list": "Il relay inoltra solo testo, quindi la persona non ha ricevuto: {files}.",
  "attachments.link":
    "Se la persona ha bisogno di un file, mettetelo su un sito di cui vi fidate e mandate il link in una risposta.",
  "confirm.headline": "Fatto: {commands} in {ref}.",
  "confirm.note":
    "È stata aggiunta una nota alla conversazione. Le note non vengono mai inviate alla persona; compaiono nella cronologia della conversazione nelle email successive. Una nota non è una risposta: se la persona aspetta, aspetta ancora.",
  "confirm.notes":
    "Sono state aggiunte {n} note alla conversazione. Le note non vengono mai inviate alla persona; compaiono nella cronologia della conversazione nelle email successive. Una nota non è una risposta: se la persona aspetta, aspetta ancora.",
  "confirm.reroute":
    "La conversazione è stata affidata a {affiliate}, con tutta la sua cronologia. Il vostro indirizzo di risposta per essa non funziona più.",
  "confirm.rerouteReason":
    "La conversazione è stata affidata a {affiliate}, con tutta la sua cronologia e il vostro motivo. Il vostro indirizzo di risposta per essa non funziona più.",
  "confirm.readerTold": "La persona è stata avvisata su {channel}, nella sua lingua.",
  "confirm.readerNotTold": "La persona non ha lasciato un indirizzo e non è stata avvisata.",
  "confirm.close":
    "La conversazione è chiusa. Se la persona scrive di nuovo, si apre una nuova conversazione, instradata da capo.",
  "confirm.nothingElse": "Nient'altro della vostra risposta è stato inviato alla persona.",
  "uncertain.headline": "Non abbiamo potuto confermare che la vostra risposta sia arrivata.",
  "uncertain.what":
    "La parte {part} di ciò che doveva arrivare alla persona su {channel} era in invio quando la connessione si è interrotta o il servizio si è fermato. Per essere sicuri che la persona non la riceva due volte, non è stata inviata di nuovo.",
  "uncertain.again": "Se la persona dice che non è arrivata, inviatela di nuovo.",
  "unreachable.headline": "La vostra risposta non ha potuto essere consegnata alla persona.",
  "unreachable.why":
    "{channel} l'ha rifiutata definitivamente ({code}). Di solito significa che la persona ha bloccato il bot, cancellato la chat, chiuso i messaggi diretti o dato un indirizzo che non esiste.",
  "unreachable.marked":
    "La persona è segnata come non raggiungibile lì. Se scrive di nuovo, la vostra prossima risposta verrà ritentata.",
  "remind.headline": "Promemoria: la conversazione {ref} aspetta la vostra risposta.",
  "remind.waited":
    "La persona ha scritto su {channel} il {date} e da {wait} non ha avuto risposta.",
  "remind.followUp":
    "La persona ha scritto di nuovo su {channel} il {date}, dopo la vostra ultima risposta, e da {wait} non ha avuto risposta.",
  "remind.newest": "Il suo messaggio più recente:",
  "remind.notes": "Le note (#note) non sono risposte: la persona non ha ancora saputo nulla.",
  "remind.howTo":
    "Rispondete a questa email per rispondere alla persona: ciò che scrivete sopra il testo citato viene inoltrato. Se deve occuparsene un altro gruppo, rispondete con #reroute <id del gruppo>; per chiuderla, #close.",
  "remind.only": "Questo è l'unico promemoria.",
  "remind.next": "Se fra {wait} sarà ancora senza risposta, verrà affidata a {affiliate}.",
  "handedOver.reason": "nessuna risposta da {affiliate} in {wait}, nemmeno dopo un promemoria",
  "handedOver.headline": "La conversazione {ref} è stata affidata a {affiliate}.",
  "handedOver.why":
    "Non aveva risposta da {wait} e il promemoria è rimasto senza seguito, quindi {affiliate} l'ha ricevuta con tutta la sua cronologia. Il vostro indirizzo di risposta per essa non funziona più.",
  "refusal.revoked":
    "La conversazione {ref} è stata affidata a {affiliate}, quindi la vostra risposta non è stata inoltrata alla persona. Un admin può vederla nella quarantena del relay.",
  "refusal.closed":
    "La conversazione {ref} è stata chiusa, quindi la vostra risposta non è stata inoltrata. Se la persona scrive di nuovo, riceverete una nuova email a cui rispondere.",
  "refusal.sender":
    "Solo la casella del gruppo che segue la conversazione {ref} ({affiliate}) e gli indirizzi reply_from indicati per esso in routing-rules.yaml possono rispondere tramite il relay, quindi la vostra risposta non è stata inoltrata. Chiedete al vostro admin di aggiungere il vostro indirizzo come reply_from se rispondete per {affiliate}.",
  "refusal.auth":
    "La vostra risposta non ha superato la verifica del mittente (DMARC: {verdict}), quindi il relay non può essere sicuro che venga da voi e non l'ha inoltrata. Inviatela dal server di posta della vostra organizzazione, con SPF o DKIM allineati al vostro indirizzo.",
  "refusal.empty":
    "La vostra risposta alla conversazione {ref} non aveva testo vostro sopra l'email citata, quindi alla persona non è stato inviato nulla (il relay non invia mai una citazione). Scrivete la risposta sopra il testo citato e inviatela di nuovo. Un admin può vedere la risposta nella quarantena del relay.",
  "refusal.noAddress":
    "La persona della conversazione {ref} ha usato il modulo web senza lasciare un indirizzo email, quindi nessuna risposta può raggiungerla. I comandi (#note, #reroute, #close) funzionano comunque.",
};

const fr: Catalogue = {
  "footer.ref": "Conversation : {ref}",
  "footer.auto": "contact-router (ce message a été écrit automatiquement)",
  "bounce.subject": "Votre réponse n'a pas été transmise",
  "bounce.headline": "Votre réponse n'a pas été transmise à la personne.",
  "invalid.headline": "Rien n'a été fait de votre réponse à {ref}.",
  "invalid.lines": "Ces lignes ressemblent à des commandes mais n'en sont pas : {lines}.",
  "invalid.both": "Une réponse peut contenir #reroute ou #close, pas les deux.",
  "invalid.help":
    "Les commandes sont #note <texte>, #reroute <id du groupe> [raison] et #close, chacune sur sa propre ligne en haut de la réponse. Rien n'a été envoyé à la personne.",
  "reroute.failed": "La conversation {ref} n'a pas été confiée à un autre groupe.",
  "reroute.unknown": "Il n'y a pas de groupe « {id} ». Les id des groupes sont : {ids}.",
  "reroute.same": "La conversation est déjà chez {id}.",
  "reroute.nothing": "Rien n'a été changé et rien n'a été envoyé à la personne.",
  "attachments.headline": "Votre réponse dans {ref} a été transmise sans ses pièces jointes.",
  "attachments.list":
    "Le relais ne transmet que du texte, la personne n'a donc pas reçu : {files}.",
  "attachments.link":
    "Si la personne a besoin d'un fichier, mettez-le sur un site de confiance et envoyez le lien dans une réponse.",
  "confirm.headline": "Fait : {commands} dans {ref}.",
  "confirm.note":
    "Une note a été ajoutée à la conversation. Les notes ne sont jamais envoyées à la personne ; elles figurent dans l'historique de la conversation dans les e-mails suivants. Une note n'est pas une réponse : si la personne attend, elle attend toujours.",
  "confirm.notes":
    "{n} notes ont été ajoutées à la conversation. Les notes ne sont jamais envoyées à la personne ; elles figurent dans l'historique de la conversation dans les e-mails suivants. Une note n'est pas une réponse : si la personne attend, elle attend toujours.",
  "confirm.reroute":
    "La conversation a été confiée à {affiliate}, avec tout son historique. Votre adresse de réponse pour elle ne fonctionne plus.",
  "confirm.rerouteReason":
    "La conversation a été confiée à {affiliate}, avec tout son historique et votre raison. Votre adresse de réponse pour elle ne fonctionne plus.",
  "confirm.readerTold": "La personne a été prévenue sur {channel}, dans sa langue.",
  "confirm.readerNotTold": "La personne n'a pas laissé d'adresse et n'a pas été prévenue.",
  "confirm.close":
    "La conversation est terminée. Si la personne écrit de nouveau, une nouvelle conversation commence, acheminée de nouveau.",
  "confirm.nothingElse": "Rien d'autre de votre réponse n'a été envoyé à la personne.",
  "uncertain.headline": "Nous n'avons pas pu confirmer que votre réponse est arrivée.",
  "uncertain.what":
    "La partie {part} de ce qui devait être envoyé à la personne sur {channel} était en cours d'envoi quand la connexion a été coupée ou le service arrêté. Pour que la personne ne la reçoive pas deux fois, elle n'a pas été renvoyée.",
  "uncertain.again": "Si la personne dit qu'elle n'est pas arrivée, envoyez-la de nouveau.",
  "unreachable.headline": "Votre réponse n'a pas pu être remise à la personne.",
  "unreachable.why":
    "{channel} l'a refusée définitivement ({code}). Cela signifie en général que la personne a bloqué le bot, supprimé la discussion, fermé ses messages privés ou donné une adresse qui n'existe pas.",
  "unreachable.marked":
    "La personne y est marquée comme injoignable. Si elle écrit de nouveau, votre prochaine réponse sera retentée.",
  "remind.headline": "Rappel : la conversation {ref} attend votre réponse.",
  "remind.waited":
    "La personne a écrit sur {channel} le {date} et n'a pas de réponse depuis {wait}.",
  "remind.followUp":
    "La personne a écrit de nouveau sur {channel} le {date}, après votre dernière réponse, et n'a pas de réponse depuis {wait}.",
  "remind.newest": "Son message le plus récent :",
  "remind.notes":
    "Les notes (#note) ne sont pas des réponses : la personne n'a toujours rien reçu.",
  "remind.howTo":
    "Répondez à cet e-mail pour répondre à la personne : ce que vous écrivez au-dessus du texte cité est transmis. Si un autre groupe doit s'en charger, répondez avec #reroute <id du groupe> ; pour la terminer, #close.",
  "remind.only": "C'est le seul rappel.",
  "remind.next": "Si elle est toujours sans réponse dans {wait}, elle sera confiée à {affiliate}.",
  "handedOver.reason": "pas de réponse de {affiliate} en {wait}, ni après un rappel",
  "handedOver.headline": "La conversation {ref} a été confiée à {affiliate}.",
  "handedOver.why":
    "Elle était sans réponse depuis {wait}, et le rappel est resté sans suite, donc {affiliate} l'a reçue avec tout son historique. Votre adresse de réponse pour elle ne fonctionne plus.",
  "refusal.revoked":
    "La conversation {ref} a été confiée à {affiliate}, donc votre réponse n'a pas été transmise à la personne. Un admin peut la voir dans la quarantaine du relais.",
  "refusal.closed":
    "La conversation {ref} a été terminée, donc votre réponse n'a pas été transmise. Si la personne écrit de nouveau, vous recevrez un nouvel e-mail auquel répondre.",
  "refusal.sender":
    "Seules la boîte du groupe qui suit la conversation {ref} ({affiliate}) et les adresses reply_from indiquées pour lui dans routing-rules.yaml peuvent répondre par le relais, donc votre réponse n'a pas été transmise. Demandez à votre admin d'ajouter votre adresse en reply_from si vous répondez pour {affiliate}.",
  "refusal.auth":
    "Votre réponse n'a pas passé la vérification de l'expéditeur (DMARC : {verdict}) ; le relais ne peut pas être sûr qu'elle vient de vous et ne l'a pas transmise. Envoyez-la depuis le serveur de messagerie de votre organisation, avec SPF ou DKIM alignés sur votre adresse.",
  "refusal.empty":
    "Votre réponse à la conversation {ref} n'avait pas de texte à vous au-dessus de l'e-mail cité, donc rien n'a été envoyé à la personne (le relais n'envoie jamais de citation). Écrivez votre réponse au-dessus du texte cité et envoyez-la de nouveau. Un admin peut voir la réponse dans la quarantaine du relais.",
  "refusal.noAddress":
    "La personne de la conversation {ref} a utilisé le formulaire web sans laisser d'adresse e-mail, donc aucune réponse ne peut l'atteindre. Les commandes (#note, #reroute, #close) fonctionnent quand même.",
};

const CATALOGUES: Record<string, Catalogue> = { en, de, it, fr };

/** The notice language for an affiliate's languages: the forward's (first with texts, else English). */
export const noticeLanguage = forwardLanguage;

/** The text for `key` in `lang` (English when it has no catalogue), with `{name}` filled. */
export function nt(lang: string, key: NoticeKey, vars: Record<string, string> = {}): string {
  const text = (CATALOGUES[lang] ?? en)[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

const UNITS: [number, "day" | "hour" | "minute" | "second"][] = [
  [86_400_000, "day"],
  [3_600_000, "hour"],
  [60_000, "minute"],
  [1000, "second"],
];

/** A wait as people say it in `lang`: "3 days", "3 Tage", "3 giorni", "3 jours". */
export function waitIn(lang: string, ms: number): string {
  const locale = lang in CATALOGUES ? lang : "en";
  for (const [size, unit] of UNITS) {
    if (ms >= size && ms % size === 0) {
      return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(
        ms / size,
      );
    }
  }
  return new Intl.NumberFormat(locale, {
    style: "unit",
    unit: "second",
    unitDisplay: "long",
  }).format(Math.round(ms / 1000));
}
