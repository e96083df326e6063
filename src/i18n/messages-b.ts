/* Texts for readers in fa, pl, ru, nl, pt. Portuguese is kept neutral between pt-PT and pt-BR. */
import type { MESSAGES_A } from "./messages-a.js";

type Texts = (typeof MESSAGES_A)["en"];

const fa: Texts = {
  "page.title": "تماس با ما",
  "form.intro":
    "برای ما بنویسید. پیام شما را به نزدیک‌ترین گروه شبکهٔ ما می‌رسانیم و آن‌ها به شما پاسخ خواهند داد.",
  "form.legend": "پیام شما",
  "form.name": "نام",
  "form.email": "نشانی ایمیل",
  "form.emailHint": "تا بتوانیم پاسخ دهیم. بدون آن نمی‌توانیم به شما پاسخ دهیم.",
  "form.country": "از کجا می‌نویسید؟",
  "form.countryNone": "— ترجیح می‌دهم نگویم —",
  "form.message": "پیام",
  "form.messageHint": "حداکثر {max} نویسه.",
  "form.optional": "(اختیاری)",
  "form.submit": "ارسال",
  "form.language": "زبان",
  "form.honeypot": "این فیلد را خالی بگذارید",
  "err.notSent": "پیام شما هنوز فرستاده نشده است. آنچه نوشتید هنوز اینجاست.",
  "err.summary": "لطفاً فرم را بررسی کنید:",
  "err.messageRequired": "لطفاً پیامی بنویسید.",
  "err.messageTooLong": "پیام شما بیش از حد طولانی است: لطفاً حداکثر {max} نویسه.",
  "err.nameTooLong": "نام بیش از حد طولانی است: لطفاً حداکثر {max} نویسه.",
  "err.emailInvalid": "این نشانی ایمیل درست به نظر نمی‌رسد. لطفاً آن را بررسی کنید.",
  "err.invalidChars":
    "این فیلد نویسه\u200cهایی دارد که نمی\u200cتوانیم بپذیریم. لطفاً آن\u200cها را حذف کنید.",
  "err.countryInvalid": "لطفاً کشوری را از فهرست انتخاب کنید.",
  "err.tooLarge": "آنچه فرستادید بیش از حد بزرگ است. لطفاً پیام خود را کوتاه‌تر کنید.",
  "err.rateLimited":
    "شما در مدت کوتاهی چند پیام فرستاده‌اید. لطفاً چند دقیقه صبر کنید و دوباره تلاش کنید.",
  "err.unavailable":
    "در حال حاضر نتوانستیم پیام شما را دریافت کنیم. لطفاً چند دقیقهٔ دیگر دوباره تلاش کنید.",
  "thanks.title": "سپاس",
  "thanks.body": "پیام شما را دریافت کردیم و آن را به نزدیک‌ترین گروه شبکهٔ ما می‌رسانیم.",
  "thanks.replyEmail": "پاسخ به نشانی ایمیلی که داده‌اید فرستاده می‌شود.",
  "thanks.noReply": "شما نشانی ایمیلی نداده‌اید، بنابراین امکان پاسخ به شما وجود ندارد.",
  "thanks.back": "نوشتن پیامی دیگر",
  ack: "سپاس، پیام شما را دریافت کردیم و به {affiliate} رساندیم. آن‌ها همین‌جا به شما پاسخ خواهند داد.",
  "ask.location":
    "از پیام شما سپاسگزاریم. برای اینکه آن را به نزدیک‌ترین رفقا برسانیم: از کجا می‌نویسید؟ نام کشور یا شهر کافی است.",
  start:
    "سلام! پیام خود را اینجا بنویسید تا آن را به نزدیک‌ترین رفقا برسانیم. لطفاً بگویید از کدام شهر یا کشور می‌نویسید.",
  "answer.intro": "پاسخ از {affiliate}:",
  "answer.part": "(بخش {n} از {total})",
  "answer.outro.chat": "می‌توانید همین‌جا پاسخ دهید.",
  "answer.outro.email": "می‌توانید به همین ایمیل پاسخ دهید.",
  "answer.outro.form": "برای نوشتن دوباره به ما، لطفاً از فرم تماس استفاده کنید.",
  "answer.subject": "پاسخ از {affiliate}",
  "reroute.notice": "گفت‌وگوی شما به {affiliate} سپرده شد. آن‌ها به شما پاسخ خواهند داد.",
};

const pl: Texts = {
  "page.title": "Kontakt",
  "form.intro":
    "Napisz do nas. Przekażemy Twoją wiadomość najbliższej Ci grupie naszej sieci, która Ci odpowie.",
  "form.legend": "Twoja wiadomość",
  "form.name": "Imię",
  "form.email": "Adres e-mail",
  "form.emailHint": "Abyśmy mogli odpowiedzieć. Bez niego nie możemy Ci odpowiedzieć.",
  "form.country": "Skąd piszesz?",
  "form.countryNone": "— Wolę nie podawać —",
  "form.message": "Wiadomość",
  "form.messageHint": "Maksymalnie {max} znaków.",
  "form.optional": "(opcjonalnie)",
  "form.submit": "Wyślij",
  "form.language": "Język",
  "form.honeypot": "Pozostaw to pole puste",
  "err.notSent": "Twoja wiadomość nie została jeszcze wysłana. Wpisany tekst jest nadal poniżej.",
  "err.summary": "Prosimy sprawdzić formularz:",
  "err.messageRequired": "Prosimy napisać wiadomość.",
  "err.messageTooLong": "Wiadomość jest za długa: prosimy o maksymalnie {max} znaków.",
  "err.nameTooLong": "Imię jest za długie: prosimy o maksymalnie {max} znaków.",
  "err.emailInvalid": "Ten adres e-mail wygląda na niepoprawny. Prosimy go sprawdzić.",
  "err.invalidChars": "To pole zawiera znaki, których nie możemy przyjąć. Prosimy je usunąć.",
  "err.countryInvalid": "Prosimy wybrać kraj z listy.",
  "err.tooLarge": "Przesłana treść jest za duża. Prosimy skrócić wiadomość.",
  "err.rateLimited":
    "Wysłano kilka wiadomości w krótkim czasie. Prosimy odczekać kilka minut i spróbować ponownie.",
  "err.unavailable":
    "Nie mogliśmy teraz przyjąć Twojej wiadomości. Prosimy spróbować ponownie za kilka minut.",
  "thanks.title": "Dziękujemy",
  "thanks.body": "Otrzymaliśmy Twoją wiadomość i przekażemy ją najbliższej Ci grupie naszej sieci.",
  "thanks.replyEmail": "Odpowiedź przyjdzie na podany przez Ciebie adres e-mail.",
  "thanks.noReply": "Nie podano adresu e-mail, więc nie będzie można Ci odpowiedzieć.",
  "thanks.back": "Napisz kolejną wiadomość",
  ack: "Dziękujemy, otrzymaliśmy Twoją wiadomość i przekazaliśmy ją grupie {affiliate}. Odpowiedź otrzymasz tutaj.",
  "ask.location":
    "Dziękujemy za wiadomość. Abyśmy mogli przekazać ją towarzyszom najbliżej Ciebie: skąd piszesz? Wystarczy kraj lub miasto.",
  start:
    "Cześć! Napisz tutaj swoją wiadomość, a przekażemy ją towarzyszom najbliżej Ciebie. Pomoże nam, jeśli napiszesz, z jakiego miasta lub kraju piszesz.",
  "answer.intro": "Odpowiedź od grupy {affiliate}:",
  "answer.part": "(część {n} z {total})",
  "answer.outro.chat": "Możesz odpowiedzieć tutaj.",
  "answer.outro.email": "Możesz odpowiedzieć na tego e-maila.",
  "answer.outro.form": "Aby napisać do nas ponownie, skorzystaj z formularza kontaktowego.",
  "answer.subject": "Odpowiedź od grupy {affiliate}",
  "reroute.notice":
    "Twoja rozmowa została przekazana grupie {affiliate}. Odpowiedź otrzymasz od nich.",
};

const ru: Texts = {
  "page.title": "Связаться с нами",
  "form.intro":
    "Напишите нам. Мы передадим ваше сообщение ближайшей к вам группе нашей сети, и они вам ответят.",
  "form.legend": "Ваше сообщение",
  "form.name": "Имя",
  "form.email": "Адрес электронной почты",
  "form.emailHint": "Чтобы мы могли ответить. Без него мы не сможем вам ответить.",
  "form.country": "Откуда вы пишете?",
  "form.countryNone": "— Предпочитаю не указывать —",
  "form.message": "Сообщение",
  "form.messageHint": "Не более {max} символов.",
  "form.optional": "(необязательно)",
  "form.submit": "Отправить",
  "form.language": "Язык",
  "form.honeypot": "Оставьте это поле пустым",
  "err.notSent": "Ваше сообщение ещё не отправлено. Написанный текст сохранён ниже.",
  "err.summary": "Пожалуйста, проверьте форму:",
  "err.messageRequired": "Пожалуйста, напишите сообщение.",
  "err.messageTooLong": "Сообщение слишком длинное: пожалуйста, не более {max} символов.",
  "err.nameTooLong": "Имя слишком длинное: пожалуйста, не более {max} символов.",
  "err.emailInvalid": "Этот адрес электронной почты выглядит неверным. Пожалуйста, проверьте его.",
  "err.invalidChars":
    "В этом поле есть символы, которые мы не можем принять. Пожалуйста, удалите их.",
  "err.countryInvalid": "Пожалуйста, выберите страну из списка.",
  "err.tooLarge": "Отправленные данные слишком велики. Пожалуйста, сократите сообщение.",
  "err.rateLimited":
    "Вы отправили несколько сообщений за короткое время. Пожалуйста, подождите несколько минут и попробуйте снова.",
  "err.unavailable":
    "Сейчас мы не смогли принять ваше сообщение. Пожалуйста, попробуйте ещё раз через несколько минут.",
  "thanks.title": "Спасибо",
  "thanks.body": "Мы получили ваше сообщение и передадим его ближайшей к вам группе нашей сети.",
  "thanks.replyEmail": "Ответ придёт на указанный вами адрес электронной почты.",
  "thanks.noReply": "Вы не указали адрес электронной почты, поэтому вам не смогут ответить.",
  "thanks.back": "Написать ещё одно сообщение",
  ack: "Спасибо, мы получили ваше сообщение и передали его группе {affiliate}. Вам ответят здесь.",
  "ask.location":
    "Спасибо за ваше сообщение. Чтобы передать его ближайшим к вам товарищам: откуда вы пишете? Достаточно страны или города.",
  start:
    "Здравствуйте! Напишите здесь своё сообщение, и мы передадим его ближайшим к вам товарищам. Пожалуйста, укажите, из какого города или страны вы пишете.",
  "answer.intro": "Ответ от группы {affiliate}:",
  "answer.part": "(часть {n} из {total})",
  "answer.outro.chat": "Вы можете ответить здесь.",
  "answer.outro.email": "Вы можете ответить на это письмо.",
  "answer.outro.form": "Чтобы написать нам снова, воспользуйтесь контактной формой.",
  "answer.subject": "Ответ от группы {affiliate}",
  "reroute.notice": "Ваш разговор передан группе {affiliate}. Они вам ответят.",
};

const nl: Texts = {
  "page.title": "Contact",
  "form.intro":
    "Schrijf ons. We sturen je bericht door naar de groep van ons netwerk die het dichtst bij je is, en zij antwoorden je.",
  "form.legend": "Je bericht",
  "form.name": "Naam",
  "form.email": "E-mailadres",
  "form.emailHint": "Zodat we kunnen antwoorden. Zonder e-mailadres kunnen we je niet antwoorden.",
  "form.country": "Waar schrijf je vandaan?",
  "form.countryNone": "— Zeg ik liever niet —",
  "form.message": "Bericht",
  "form.messageHint": "Maximaal {max} tekens.",
  "form.optional": "(optioneel)",
  "form.submit": "Versturen",
  "form.language": "Taal",
  "form.honeypot": "Laat dit veld leeg",
  "err.notSent": "Je bericht is nog niet verstuurd. Wat je schreef, staat er nog.",
  "err.summary": "Controleer het formulier alsjeblieft:",
  "err.messageRequired": "Schrijf alsjeblieft een bericht.",
  "err.messageTooLong": "Je bericht is te lang: maximaal {max} tekens alsjeblieft.",
  "err.nameTooLong": "De naam is te lang: maximaal {max} tekens alsjeblieft.",
  "err.emailInvalid": "Dit e-mailadres lijkt niet te kloppen. Controleer het alsjeblieft.",
  "err.invalidChars":
    "Dit veld bevat tekens die we niet kunnen aannemen. Verwijder ze alsjeblieft.",
  "err.countryInvalid": "Kies alsjeblieft een land uit de lijst.",
  "err.tooLarge": "Wat je hebt verstuurd is te groot. Maak je bericht alsjeblieft korter.",
  "err.rateLimited":
    "Je hebt in korte tijd meerdere berichten verstuurd. Wacht alsjeblieft een paar minuten en probeer het dan opnieuw.",
  "err.unavailable":
    "We konden je bericht op dit moment niet aannemen. Probeer het over een paar minuten opnieuw.",
  "thanks.title": "Bedankt",
  "thanks.body":
    "We hebben je bericht ontvangen en sturen het door naar de groep van ons netwerk die het dichtst bij je is.",
  "thanks.replyEmail": "Ze antwoorden op het e-mailadres dat je hebt opgegeven.",
  "thanks.noReply": "Je hebt geen e-mailadres opgegeven, dus ze kunnen je niet antwoorden.",
  "thanks.back": "Nog een bericht schrijven",
  ack: "Bedankt, we hebben je bericht ontvangen en doorgestuurd naar {affiliate}. Ze antwoorden je hier.",
  "ask.location":
    "Bedankt voor je bericht. Zodat we het kunnen doorsturen naar de kameraden bij jou in de buurt: waar schrijf je vandaan? Een land of een stad is genoeg.",
  start:
    "Hallo! Schrijf hier je bericht en we sturen het door naar de kameraden die het dichtst bij je zijn. Het helpt als je vertelt uit welke stad of welk land je schrijft.",
  "answer.intro": "Antwoord van {affiliate}:",
  "answer.part": "(deel {n} van {total})",
  "answer.outro.chat": "Je kunt hier antwoorden.",
  "answer.outro.email": "Je kunt op deze e-mail antwoorden.",
  "answer.outro.form": "Wil je ons opnieuw schrijven, gebruik dan het contactformulier.",
  "answer.subject": "Antwoord van {affiliate}",
  "reroute.notice": "Je gesprek is overgedragen aan {affiliate}. Zij antwoorden je.",
};

const pt: Texts = {
  "page.title": "Escreva-nos",
  "form.intro":
    "Escreva-nos. Encaminharemos a sua mensagem para o grupo da nossa rede mais próximo, que lhe responderá.",
  "form.legend": "A sua mensagem",
  "form.name": "Nome",
  "form.email": "Endereço de e-mail",
  "form.emailHint": "Para podermos responder. Sem ele não teremos como responder.",
  "form.country": "De onde escreve?",
  "form.countryNone": "— Prefiro não dizer —",
  "form.message": "Mensagem",
  "form.messageHint": "No máximo {max} caracteres.",
  "form.optional": "(opcional)",
  "form.submit": "Enviar",
  "form.language": "Idioma",
  "form.honeypot": "Deixe este campo vazio",
  "err.notSent": "A sua mensagem ainda não foi enviada. O que escreveu continua aqui.",
  "err.summary": "Por favor, verifique o formulário:",
  "err.messageRequired": "Por favor, escreva uma mensagem.",
  "err.messageTooLong": "A sua mensagem é longa demais: no máximo {max} caracteres, por favor.",
  "err.nameTooLong": "O nome é longo demais: no máximo {max} caracteres, por favor.",
  "err.emailInvalid": "Este endereço de e-mail não parece correto. Por favor, verifique-o.",
  "err.invalidChars": "Este campo contém caracteres que não podemos aceitar. Por favor, remova-os.",
  "err.countryInvalid": "Por favor, escolha um país da lista.",
  "err.tooLarge": "O que enviou é grande demais. Por favor, encurte a sua mensagem.",
  "err.rateLimited":
    "Enviou várias mensagens em pouco tempo. Por favor, aguarde alguns minutos e tente novamente.",
  "err.unavailable":
    "Não conseguimos receber a sua mensagem neste momento. Por favor, tente novamente dentro de alguns minutos.",
  "thanks.title": "Obrigado",
  "thanks.body":
    "Recebemos a sua mensagem e vamos encaminhá-la para o grupo da nossa rede mais próximo.",
  "thanks.replyEmail": "A resposta chegará ao endereço de e-mail que indicou.",
  "thanks.noReply": "Não indicou um endereço de e-mail, por isso não será possível responder.",
  "thanks.back": "Escrever outra mensagem",
  ack: "Obrigado, recebemos a sua mensagem e ela foi encaminhada para {affiliate}. A resposta virá por aqui.",
  "ask.location":
    "Obrigado pela sua mensagem. Para a encaminharmos aos camaradas mais próximos: de onde escreve? Basta um país ou uma cidade.",
  start:
    "Olá! Escreva aqui a sua mensagem e vamos encaminhá-la aos camaradas mais próximos. Ajuda-nos saber de que cidade ou país escreve.",
  "answer.intro": "Resposta de {affiliate}:",
  "answer.part": "(parte {n} de {total})",
  "answer.outro.chat": "Pode responder por aqui.",
  "answer.outro.email": "Pode responder a este e-mail.",
  "answer.outro.form": "Para nos escrever de novo, use o formulário do site.",
  "answer.subject": "Resposta de {affiliate}",
  "reroute.notice": "A sua conversa foi encaminhada para {affiliate}, que lhe responderá.",
};

/** fa, pl, ru, nl, pt. */
export const MESSAGES_B = { fa, pl, ru, nl, pt };
