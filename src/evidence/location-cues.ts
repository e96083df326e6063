import { stemmerFor, type Stemmer } from "./inflection.js";
import { foldKey } from "./text-fold.js";

/**
 * The words around a place name that tell whether the writer lives there, comes from there, or
 * only talks about it, in the eleven languages. These are single words by role, not phrases:
 * the reader (self-report.ts) weighs whichever of them stand near a place, in any order, so
 * "ich wohne in Leipzig", "in Leipzig wohne ich" and "seit Mai wohne ich jetzt in Leipzig" all
 * count, and so do phrasings nobody listed.
 *
 * Words are written naturally and folded when loaded. Content words (living, greeting, topic
 * words …) of four letters or more also match through the language's stemmer (wohne, wohnen,
 * wohnt; живу, живём); prepositions and pronouns match only as written. A word ending in "*"
 * matches as a prefix (mieszk* for mieszkam, mieszkamy, mieszkałem).
 */
export type Cue =
  /** A locative preposition right before the place: in, à, в, در. */
  | "loc"
  /** An origin preposition right before the place: from, aus, z, из, از. */
  | "from"
  /** A preposition of motion: to, nach, naar. */
  | "to"
  /** The place is what is talked about: about, über, o. */
  | "about"
  /** An article between the preposition and the name: the, der, la. */
  | "article"
  /** The writer: I, me, my, we, our, ich, je, я, من (and pro-drop first-person verbs). */
  | "first"
  /** Someone else: he, they, my brother, comrades. */
  | "third"
  /** The one addressed: your, vostro, euer, votre, ваш, شما ("your office on +44 …"). */
  | "second"
  /** Living, working, studying, being based somewhere. */
  | "live"
  /** Writing (from). */
  | "write"
  /** Greetings and sign-offs (hello from, un saluto da, saludos desde). */
  | "greet"
  /** Here (here in, bei uns in, у нас в). */
  | "here"
  /** Now, currently, since (the current place). */
  | "now"
  /** Originally, born, grew up (the place of origin). */
  | "origin"
  /** Moved, relocated. */
  | "moved"
  /** A topic: war, strike, news, trip, election. */
  | "topic"
  /** Not, never. */
  | "neg"
  /** But, although. */
  | "contrast"
  /** Our branch, group, section, collective. */
  | "group"
  /** Am, come (I'm from, ich komme aus, soy de). */
  | "be"
  /**
   * "Be" itself, not "come" (am, sono, bin, suis, soy, jestem; Russian has none, so its
   * pronouns): "I'm a bus driver in …" says who the writer is, there.
   */
  | "copula"
  /** The area around a place (in the province of, near, in der Nähe von, в пригороде). */
  | "area"
  /** Still (born there and still there): still, ancora, immer noch, toujours, todavía, nadal. */
  | "still"
  /** Asking for people somewhere: any, anyone, qualcuno, jemand, alguien, hay, кто-нибудь. */
  | "ask"
  /** Who the writer is, right after their place: "Leeds lass", "Cork lad", "Manchester checking in". */
  | "intro"
  /**
   * The past of "be", "go" or "visit" (was, war, ero, étais, estuve, byłem, был, بودم): with the
   * writer as subject, a trip, not where they live. Forms that are first person by themselves
   * (ero, estuve, byłem, بودم) are also listed under "first".
   */
  | "past"
  /** A length of time after a place: "Melbourne for the last 12 years", "da sei anni". */
  | "duration"
  /** People asked for: readers, members, Leser, lecteurs, lectores, читатели. */
  | "people"
  /** Far from the writer: across (the ditch), overseas, drüben, allá, далеко. */
  | "away";

type Lexicon = Partial<Record<Cue, string>>;

/** Space-separated words per role and language. */
const LEXICONS: Readonly<Record<string, Lexicon>> = {
  en: {
    loc: "in at near around outside inside within",
    from: "from",
    to: "to into towards toward",
    about: "about regarding concerning re",
    article: "the",
    first: "i me my myself we us our ours ourselves im",
    second: "your yours",
    third:
      "he she they his her their them him brother sister mother mum mom father dad parents friend friends comrades cousin family wife husband son daughter uncle aunt grandmother grandfather grandma grandpa colleague colleagues someone somebody people",
    live: "live lives living lived reside resident residing based stay staying settled work working worked study studying employed located situated rent renting commute teach teaching grafting slaving toiling residents inhabitant inhabitants",
    write: "writing write writes wrote messaging",
    greet:
      "hello hi hey greetings regards cheers love best wishes salutations howdy solidarity thanks",
    here: "here locally",
    now: "now currently presently nowadays since",
    origin: "originally born raised bred grew grow native hometown hail hailing roots childhood",
    moved: "moved move moving relocated relocating emigrated immigrated arrived",
    topic:
      "war wars civil strike strikes protest protests demo demonstration demonstrations rally riot riots uprising revolution revolt election elections referendum crisis coup massacre genocide invasion occupation bombing siege news article articles report reports story book books film documentary history trip trips holiday holidays vacation visit visiting visited tour journey travel travelling traveling conference congress festival commune movement situation events government regime struggle struggles fascism earthquake flood attack attacks olympics tourist tourists visitor visitors event",
    neg: "not no never don didn doesn haven nor neither",
    contrast: "but however though although whereas yet",
    group: "branch group section chapter collective cell local union circle committee club reading",
    be: "am m come comes coming are re",
    copula: "am m are re",
    area: "province region outskirts suburbs suburb area county district outside",
    still: "still",
    ask: "any anyone anybody",
    duration: "years months",
    people: "readers reader members folks folk sympathisers supporters subscribers people",
    away: "across overseas abroad",
    intro: "lad lass lads lasses bloke guy gal girl boy checking reporting",
    past: "was were went visited",
  },
  it: {
    // Articulated prepositions, every form: a/in + il lo la l' i gli le.
    loc: "a ad in presso vicino al allo alla all ai agli alle nel nello nella nell nei negli nelle",
    // da/di + il lo la l' i gli le.
    from: "da di dal dallo dalla dall dai dagli dalle del dello della dell dei degli delle",
    to: "verso",
    about: "su sul sulla sugli riguardo circa",
    article: "il lo la l i gli le",
    first:
      "io mi me mio mia miei mie noi ci nostro nostra nostri nostre sono sto siamo ero eravamo fui fummo andai andammo",
    second: "vostro vostra vostri vostre tuo tua",
    third:
      "lui lei loro suo sua fratello sorella madre mamma padre papà genitori amico amica amici compagni cugino famiglia moglie marito figlio figlia collega colleghi zio zia nonno nonna",
    live: "abitare abito abitiamo vivere vivo viviamo risiedo risiediamo residente lavorare lavoro lavoriamo studiare studio studiamo trovo stabilito stabilita insegno sgobbo sgobbare lavoricchio abitante abitanti",
    write: "scrivere scrivo scriviamo",
    greet: "ciao salve saluti saluto buongiorno buonasera abbracci abbraccio",
    here: "qui qua quaggiù quassù",
    now: "ora adesso attualmente ormai oggi",
    origin: "originario originaria nato nata cresciuto cresciuta origine natale",
    moved:
      "trasferito trasferita trasferiti trasferirmi trapiantato trapiantata trapiantati trapiantate emigrato emigrata spostato arrivato arrivata",
    topic:
      "guerra sciopero scioperi protesta proteste manifestazione manifestazioni corteo rivolta rivoluzione elezioni crisi golpe massacro genocidio invasione occupazione notizie notizia articolo articoli libro storia viaggio vacanza vacanze visita gita conferenza congresso comune movimento situazione governo regime lotta lotte turista turisti evento eventi",
    neg: "non mai",
    contrast: "ma però invece mentre tuttavia",
    group: "sezione gruppo collettivo circolo cellula comitato sede nucleo",
    be: "sono vengo veniamo siamo",
    copula: "sono siamo",
    area: "provincia periferia zona regione vicino dintorni hinterland",
    still: "ancora tuttora",
    ask: "qualcuno qualcuna ci",
    past: "ero eravamo fui fummo stato stata stati state andato andata andati andate andai andammo visitato visitata",
    duration: "anni mesi",
    people: "lettori lettrici iscritti simpatizzanti persone gente",
    away: "laggiù oltreoceano",
  },
  de: {
    loc: "in im bei beim nahe an am",
    from: "aus von vom",
    to: "nach zu zum zur ins",
    about: "über ueber",
    article: "der die das den dem des",
    first:
      "ich mich mir mein meine meinem meinen meiner wir uns unser unsere unserem unseren unserer bin",
    second: "euer eure eurem euren ihre ihrem ihren dein deine deinem",
    third:
      "er sein seine ihre bruder schwester mutter mama vater papa eltern freund freundin freunde genossen genossinnen cousin cousine familie sohn tochter kollege kollegin kollegen onkel tante oma opa",
    live: "wohnen wohne wohnt leben lebe arbeiten arbeite studieren studiere ansässig beheimatet zuhause daheim unterrichte schaffe jobbe schufte schuften schuftet maloche malochen malochte jobben jobbt ackere ackern einwohner einwohnerin bewohner bewohnerin",
    write: "schreiben schreibe",
    greet: "hallo grüße gruß grüßen servus moin solidarische",
    here: "hier",
    now: "jetzt nun derzeit zurzeit momentan aktuell inzwischen mittlerweile seit",
    origin: "ursprünglich geboren aufgewachsen stamme stammen herkunft gebürtig heimat heimatstadt",
    moved: "gezogen umgezogen ziehe ziehen zog zogen übergesiedelt ausgewandert eingewandert",
    topic:
      "krieg bürgerkrieg streik streiks protest proteste demonstration demo demos aufstand revolution wahl wahlen krise putsch massaker völkermord invasion besatzung nachrichten artikel bericht buch geschichte reise urlaub besuch konferenz kongress kommune bewegung lage situation regierung regime kampf kämpfe tourist touristin touristen urlauber veranstaltung veranstaltungen",
    neg: "nicht kein keine nie niemals",
    contrast: "aber doch jedoch sondern",
    group: "gruppe ortsgruppe sektion zelle kollektiv kreis lesekreis komitee verein",
    be: "bin komme kommen sind",
    copula: "bin sind",
    area: "nähe umgebung raum region landkreis kreis vorort",
    still: "noch weiterhin",
    ask: "jemand irgendwer gibt",
    past: "war waren gewesen besuchte besuchten",
    duration: "jahren jahre monaten",
    people: "leser leserinnen mitglieder leute",
    away: "drüben",
  },
  fr: {
    loc: "à a au aux en dans près chez sur",
    from: "de d du des depuis",
    to: "vers pour",
    about: "concernant propos",
    article: "le la les l",
    first: "je j me m moi mon ma mes nous notre nos on",
    second: "votre vos ton ta tes",
    third:
      "il elle ils elles lui leur leurs son sa ses frère soeur mère père parents ami amie amis camarades cousin cousine famille femme mari fils fille collègue oncle tante",
    live: "habiter habite habitons vivre vis vit vivons résider réside travailler travaille travaillons étudier étudie installé installée basé basée domicilié domiciliée établi trouve enseigne bosse bossons bosser taffe bossé malocher maloche turbiner turbine taffer habitant habitante habitants habitantes",
    write: "écrire écris écrivons",
    greet: "bonjour salut salutations bonsoir coucou amitiés bises cordialement fraternellement",
    here: "ici icitte",
    now: "maintenant actuellement désormais aujourd",
    origin: "originaire origine né née grandi grandie élevé élevée natal natale",
    moved: "déménagé déménagée installé installée émigré émigrée immigré arrivé arrivée",
    topic:
      "guerre grève grèves manif manifestation manifestations émeutes révolte révolution élection élections crise coup massacre génocide invasion occupation nouvelles actualité article articles livre histoire voyage vacances visite conférence congrès commune mouvement situation gouvernement régime lutte luttes touriste touristes événement événements",
    neg: "ne n pas jamais plus",
    contrast: "mais pourtant cependant",
    group: "section groupe collectif cercle cellule comité",
    be: "suis viens venons sommes",
    copula: "suis sommes",
    area: "près banlieue région environs proximité province",
    still: "toujours encore",
    ask: "quelqu y",
    past: "étais étions été allé allée allés allées passé passée visité",
    duration: "ans années mois",
    people: "lecteurs lectrices membres gens",
  },
  sv: {
    loc: "i på vid nära utanför",
    from: "från ur",
    to: "till mot",
    about: "om kring",
    first: "jag mig mej min mitt mina vi oss vår vårt våra",
    second: "er ert din ditt dina",
    third:
      "han hon de dem hans hennes deras bror syster mamma mor pappa far föräldrar vän vänner kompis kamrater kusin familj fru son dotter kollega",
    live: "bo bor bott boende bosatt leva lever jobba jobbar arbeta arbetar plugga pluggar studera studerar hemma undervisar knegar knega sliter invånare",
    write: "skriva skriver",
    greet: "hej hejsan hälsningar hälsning tjena mvh kram",
    here: "här",
    now: "nu numera sedan",
    origin: "ursprungligen född uppvuxen växte",
    moved: "flyttade flyttat flytta flyttar emigrerade",
    topic:
      "krig kriget inbördeskriget strejk strejken strejker protest protester demonstration upplopp revolution val valet kris kupp massaker folkmord invasion ockupation nyheter artikel bok historia resa semester besök konferens kongress rörelse situation regering regim kamp turist turister evenemang evenemanget",
    neg: "inte ej aldrig",
    contrast: "men fast dock",
    group: "grupp sektion avdelning cell kollektiv cirkel studiecirkel kommitté avd",
    be: "är kommer",
    copula: "är",
    area: "närheten utanför länet regionen",
    still: "kvar fortfarande",
    ask: "någon några finns",
    past: "var varit åkte besökte reste",
    duration: "år månader",
    people: "läsare medlemmar folk",
    away: "borta",
  },
  es: {
    loc: "en cerca junto",
    from: "de del desde",
    to: "a al hacia para",
    about: "sobre acerca",
    article: "el la los las lo",
    first:
      "yo me mí mi mis nosotros nosotras nos nuestro nuestra nuestros nuestras soy estoy somos estamos estuve estuvimos fui fuimos visité visitamos pasé pasamos",
    second: "vuestro vuestra vuestros vuestras",
    third:
      "él ella ellos ellas su sus hermano hermana madre mamá padre papá padres amigo amiga amigos compañeros primo prima familia esposa esposo marido hijo hija colega tío tía abuelo abuela",
    live: "vivir vivo vivimos residir resido residimos residente trabajar trabajo trabajamos estudiar estudio estudiamos radicado radicada instalado instalada afincado afincada ubicado ubicada basado basada enseño curro curra curramos currando currar curré chambeo chambear chambeando laburo laburar laburando habitante habitantes vecino vecina vecinos vecinas",
    write: "escribir escribo escribimos escribiendo",
    greet: "hola saludos saludo buenas abrazos abrazo atentamente",
    here: "aquí acá",
    now: "ahora actualmente hoy",
    origin: "originario originaria nacido nacida nací crecí criado criada oriundo oriunda natal",
    moved: "mudé mudado mudada mudamos trasladé trasladado emigré emigrado emigrada llegué",
    topic:
      "guerra huelga huelgas protesta protestas manifestación mani manis marcha revuelta revolución elecciones crisis golpe masacre genocidio invasión ocupación noticias artículo libro historia viaje vacaciones visita conferencia congreso comuna movimiento situación gobierno régimen lucha luchas turista turistas evento eventos",
    neg: "no nunca jamás ni",
    contrast: "pero aunque sino mientras",
    group: "sección grupo colectivo círculo célula comité núcleo",
    be: "soy vengo venimos somos",
    copula: "soy somos",
    area: "provincia afueras cerca región zona alrededores",
    still: "sigo sigue seguimos todavía aún",
    ask: "alguien algún alguna hay",
    past: "estuve estuvimos fui fuimos visité visitamos pasé pasamos",
    duration: "años meses",
    people: "lectores lectoras miembros gente",
    away: "allá",
  },
  pt: {
    // em + o/a/os/as, um/uma, este/esse/aquele: the contractions of Portuguese grammar.
    loc: "em no na nos nas num numa nuns numas neste nesta nesse nessa naquele naquela perto junto",
    // de + the same.
    from: "de do da dos das dum duma deste desta desse dessa daquele daquela desde",
    to: "para pra ao aos",
    about: "sobre acerca",
    article: "o a os as",
    first:
      "eu me mim meu minha meus minhas nós nos nosso nossa nossos nossas sou estou somos estamos estive estivemos fui fomos visitei passei",
    second: "vosso vossa vossos vossas",
    third:
      "ele ela eles elas seu sua dele dela irmão irmã mãe pai pais amigo amiga amigos camaradas companheiros primo prima família esposa marido filho filha colega tio tia avô avó",
    live: "morar moro moramos viver vivo vivemos residir resido residente trabalhar trabalho trabalhamos estudar estudo estudamos radicado radicada instalado instalada baseado baseada ensino leciono trampo trampando trampar batalho labuto labutar morador moradora moradores moradoras habitante",
    write: "escrever escrevo escrevemos escrevendo",
    greet: "olá oi saudações abraços abraço beijos atenciosamente cumprimentos",
    here: "aqui cá",
    now: "agora atualmente actualmente hoje",
    origin: "originário originária nascido nascida nasci cresci criado criada natural",
    moved: "mudei mudamos mudado mudada emigrei emigrado cheguei",
    topic:
      "guerra greve greves protesto protestos manifestação manifestações revolta revolução eleições crise golpe massacre genocídio invasão ocupação notícias artigo livro história viagem férias visita conferência congresso comuna movimento situação governo regime luta lutas turista turistas evento eventos",
    neg: "não nunca nem",
    contrast: "mas porém embora enquanto",
    group: "seção secção grupo coletivo núcleo célula comitê comité círculo",
    be: "sou venho somos",
    copula: "sou somos",
    area: "perto arredores região periferia província interior",
    still: "ainda continuo continuamos",
    ask: "alguém algum alguma há",
    past: "estive estivemos fui fomos visitei visitamos passei passamos",
    duration: "anos meses",
    people: "leitores leitoras membros gente pessoal",
    away: "além",
  },
  nl: {
    loc: "in te ter ten bij nabij vlakbij rond",
    from: "uit van vanuit",
    to: "naar richting",
    about: "over",
    article: "de het t",
    first: "ik mij me mijn wij we ons onze",
    second: "jouw uw",
    third:
      "hij zij ze hun haar zijn broer zus moeder mama vader papa ouders vriend vriendin vrienden kameraden neef nicht familie zoon dochter collega oom tante",
    live: "wonen woon woont leven leef werken werk studeren studeer gevestigd thuis lesgeef les lessen bijles ploeter ploeteren buffel buffelen inwoner inwoonster inwoners bewoner bewoners",
    write: "schrijven schrijf",
    greet: "hallo hoi groeten groetjes groet hartelijke doei",
    here: "hier",
    now: "nu momenteel tegenwoordig inmiddels sinds",
    origin: "oorspronkelijk geboren getogen opgegroeid afkomstig",
    moved: "verhuisd verhuizen verhuis geëmigreerd getrokken",
    topic:
      "oorlog burgeroorlog staking stakingen protest protesten demonstratie opstand revolutie verkiezingen crisis staatsgreep bloedbad genocide invasie bezetting nieuws artikel boek geschiedenis reis vakantie bezoek conferentie congres commune beweging situatie regering regime strijd toerist toeristen evenement bijeenkomst",
    neg: "niet geen nooit",
    contrast: "maar echter terwijl",
    group: "afdeling groep sectie collectief kring cel comité",
    be: "kom komen ben zijn",
    copula: "ben zijn",
    area: "buurt omgeving regio provincie",
    still: "nog steeds",
    ask: "iemand er",
    past: "was waren ging gingen bezocht geweest",
    duration: "jaar jaren maanden",
    people: "lezers leden mensen",
    away: "overzee",
  },
  pl: {
    loc: "w we na pod przy koło niedaleko obok u",
    from: "z ze od",
    to: "do ku",
    about: "o",
    first:
      "ja mnie mi mój moja moje moim mojej my nas nam nasz nasza nasze naszym naszej naszego jestem jesteśmy byłem byłam byliśmy byłyśmy pojechałem pojechałam pojechaliśmy odwiedziłem odwiedziłam odwiedziliśmy",
    second: "wasz wasza wasze waszym waszej",
    third:
      "on ona oni one jego jej ich brat siostra matka mama ojciec tata rodzice przyjaciel przyjaciółka przyjaciele znajomi towarzysze kuzyn rodzina żona mąż syn córka kolega wujek ciocia babcia dziadek",
    live: "mieszk* żyj* pracuj* studiuj* zamieszk* przebywam osiadł* uczę haruję harujemy harować zasuwam zasuwamy tyram tyramy mieszkaniec mieszkanka mieszkańcy",
    write: "pisz* piszę",
    greet: "cześć witam pozdrawiam pozdrowienia serdeczne siema hej witajcie",
    here: "tu tutaj",
    now: "teraz obecnie aktualnie dziś już",
    origin: "pochodz* urodził* urodzon* wychowa* rodzinn*",
    moved: "przeprowadzi* przeniosł* wyjechał* wyemigrowa* przyjechał*",
    topic:
      "wojn* strajk* protest* demonstracj* manifestacj* powstani* rewolucj* wybor* kryzys* zamach* masakr* ludobójstw* inwazj* okupacj* wiadomości artykuł* książk* histori* podróż* wakacj* wizyt* konferencj* kongres* komun* ruch* sytuacj* rząd* reżim* walk* turyst* wydarzeni*",
    neg: "nie nigdy",
    contrast: "ale lecz jednak",
    group: "sekcj* grup* kolektyw* komórk* komitet*",
    be: "jestem jesteśmy",
    copula: "jestem jesteśmy",
    area: "okolic* pobliżu województwie powiecie",
    still: "nadal wciąż ciągle",
    ask: "ktoś ktokolwiek jacyś jakieś",
    past: "byłem byłam byliśmy byłyśmy pojechałem pojechałam pojechaliśmy odwiedziłem odwiedziłam odwiedziliśmy",
    duration: "lat lata miesięcy",
    people: "czytelnicy czytelników członkowie ludzie",
    away: "daleko",
  },
  ru: {
    loc: "в во на у под около возле рядом",
    from: "из с со от",
    to: "до к",
    about: "о об обо про",
    first: "я меня мне мой моя моё мои мы нас нам наш наша наше наши",
    second: "ваш ваша ваше ваши твой твоя",
    third:
      "он она они его её их брат сестра мама мать отец папа родители друг подруга друзья товарищи семья жена муж сын дочь коллега дядя тётя бабушка дедушка",
    live: "жить живу живём живем проживаю проживаем работаю работаем учусь учимся нахожусь обосновался поселился преподаю вкалываю вкалываем пашу пашем тружусь трудимся житель жительница жители",
    write: "пишу пишем",
    greet: "привет приветствую здравствуйте здравствуй салют приветы уважением",
    here: "здесь тут",
    now: "сейчас теперь ныне нынче",
    origin: "родом родился родилась вырос выросла уроженец уроженка родной",
    moved:
      "переехал переехала переехали перебрался перебралась эмигрировал эмигрировала приехал приехала",
    topic:
      "война войне войны забастовка забастовки протест протесты демонстрация митинг восстание революция выборы кризис переворот резня геноцид вторжение оккупация новости статья книга история поездка отпуск визит конференция съезд коммуна движение ситуация правительство режим борьба турист туристка туристы мероприятие мероприятии",
    neg: "не никогда нет",
    contrast: "но однако",
    group: "секция группа кружок ячейка коллектив комитет",
    be: "я мы",
    copula: "я мы",
    area: "области пригороде окрестностях районе",
    still: "сих прежнему",
    ask: "кто есть",
    past: "был была были ездил ездила ездили побывал побывала побывали съездил съездила",
    duration: "лет года месяцев",
    people: "читатели читателей члены люди",
    away: "далеко",
  },
  fa: {
    loc: "در تو توی داخل نزدیک",
    from: "از اهل",
    to: "به",
    about: "درباره دربارهی راجع",
    first: "من ما مرا خودم هستم هستیم کنم کنیم بودم بودیم رفتم رفتیم",
    second: "شما",
    third:
      "او آنها ایشان برادر خواهر مادر پدر دوست دوستان رفقا خانواده همسر پسر دختر همکار خیلی خیلیها مردم بسیاری",
    live: "زندگی ساکن ساکنم مقیم اقامت تحصیل کار تدریس",
    write: "نویسم مینویسم پیام",
    greet: "سلام درود سپاس احترام تشکر ارادتمند",
    here: "اینجا",
    now: "الان اکنون حالا فعلا",
    origin: "متولد زادگاه اصالتا",
    moved: "مهاجرت اومدم آمدم",
    topic:
      "جنگ اعتصاب اعتصابات اعتراض اعتراضات تظاهرات قیام انقلاب انتخابات بحران کودتا کشتار حمله اشغال اخبار خبر مقاله کتاب تاریخ سفر تعطیلات بازدید کنفرانس کنگره جنبش وضعیت دولت رژیم مبارزه گردشگر توریست",
    neg: "نه",
    contrast: "اما ولی",
    group: "شعبه گروه حلقه کمیته هسته",
    be: "هستم هستیم",
    copula: "هستم هستیم",
    area: "حومه استان نزدیکی اطراف",
    still: "هنوز",
    ask: "کسی",
    past: "بودم بودیم رفتم رفتیم",
    duration: "سال ماه",
    people: "خوانندگان خواننده اعضا",
  },
};

/** The languages with a lexicon (all eleven). */
export const CUE_LANGUAGES: readonly string[] = Object.keys(LEXICONS);

interface Compiled {
  readonly exact: ReadonlyMap<string, Cue[]>;
  readonly stems: ReadonlyMap<string, Cue[]>;
  readonly prefixes: readonly (readonly [string, Cue])[];
  readonly stem: Stemmer | null;
}

const compiled = new Map<string, Compiled>();

/** Words this short never match through a stem: they are prepositions and pronouns. */
const MIN_STEMMED = 4;
/** Roles of content words, which inflect; the others (prepositions, pronouns) match only as written. */
const STEMMED: ReadonlySet<Cue> = new Set([
  "area",
  "live",
  "write",
  "greet",
  "now",
  "origin",
  "moved",
  "topic",
  "group",
]);

function push(map: Map<string, Cue[]>, key: string, cue: Cue) {
  const list = map.get(key);
  if (!list) map.set(key, [cue]);
  else if (!list.includes(cue)) list.push(cue);
}

function compile(lang: string): Compiled {
  let c = compiled.get(lang);
  if (c) return c;
  const exact = new Map<string, Cue[]>();
  const stems = new Map<string, Cue[]>();
  const prefixes: [string, Cue][] = [];
  const stem = stemmerFor(lang);
  for (const [cue, words] of Object.entries(LEXICONS[lang] ?? {}) as [Cue, string][]) {
    for (const raw of words.split(" ")) {
      if (raw.endsWith("*")) {
        prefixes.push([foldKey(raw.slice(0, -1)), cue]);
        continue;
      }
      const word = foldKey(raw);
      if (!word) continue;
      push(exact, word, cue);
      if (stem && word.length >= MIN_STEMMED && STEMMED.has(cue)) push(stems, stem(word), cue);
    }
  }
  c = { exact, stems, prefixes, stem };
  compiled.set(lang, c);
  return c;
}

/**
 * The roles a folded word plays in the given languages, the first language first: when the
 * word has a role there, the others are not asked ("no" is Portuguese "in the", not English
 * "no").
 */
export function cuesOf(word: string, langs: readonly string[]): readonly Cue[] {
  return cueLookup(langs)(word);
}

/**
 * {@link cuesOf} for one list of languages, remembering each word's roles: texts repeat their
 * words, and stemming them once is enough.
 */
export function cueLookup(langs: readonly string[]): (word: string) => readonly Cue[] {
  const id = langs.join(",");
  let lookup = lookups.get(id);
  if (!lookup) {
    const known = new Map<string, readonly Cue[]>();
    const list = [...langs];
    lookup = (word) => {
      let cues = known.get(word);
      if (cues === undefined) {
        if (known.size >= CUE_MEMO_SIZE) known.clear();
        cues = computeCues(word, list);
        known.set(word, cues);
      }
      return cues;
    };
    lookups.set(id, lookup);
  }
  return lookup;
}

const lookups = new Map<string, (word: string) => readonly Cue[]>();
const CUE_MEMO_SIZE = 20_000;
const NO_CUES: readonly Cue[] = Object.freeze([]);

/** Dutch diminutive endings, longest first: groepje, kringetje, clubje → groep, kring, club. */
const DUTCH_DIMINUTIVES = ["etje", "tje", "pje", "kje", "je"];

function computeCues(word: string, langs: readonly string[]): readonly Cue[] {
  const out = cuesOfForm(word, langs);
  if (out.length > 0 || !langs.includes("nl")) return out;
  for (const end of DUTCH_DIMINUTIVES) {
    if (word.length - end.length >= 3 && word.endsWith(end)) {
      const base = cuesOfForm(word.slice(0, -end.length), ["nl"]);
      if (base.length > 0) return base;
    }
  }
  return out;
}

function cuesOfForm(word: string, langs: readonly string[]): readonly Cue[] {
  const out: Cue[] = [];
  for (const lang of langs) {
    if (out.length > 0) break;
    const c = compile(lang);
    for (const cue of c.exact.get(word) ?? []) if (!out.includes(cue)) out.push(cue);
    if (c.stem && word.length >= MIN_STEMMED) {
      for (const cue of c.stems.get(c.stem(word)) ?? []) if (!out.includes(cue)) out.push(cue);
    }
    for (const [prefix, cue] of c.prefixes) {
      if (word.startsWith(prefix) && !out.includes(cue)) out.push(cue);
    }
  }
  return out.length === 0 ? NO_CUES : out;
}

const exactWords = new Map<Cue, ReadonlySet<string>>();

/** Every word written for a role, in any language (folded), e.g. all the words for "here". */
export function wordsFor(cue: Cue): ReadonlySet<string> {
  let set = exactWords.get(cue);
  if (!set) {
    set = new Set(
      CUE_LANGUAGES.flatMap((lang) =>
        (LEXICONS[lang]?.[cue] ?? "")
          .split(" ")
          .filter((w) => w && !w.endsWith("*"))
          .map(foldKey),
      ),
    );
    exactWords.set(cue, set);
  }
  return set;
}

const rawWords = new Map<Cue, ReadonlySet<string>>();

/**
 * Every word written for a role, in any language, in lower case but not folded: "här", not
 * "har" (Swedish "has"), for a check where folding would confuse two words.
 */
export function rawWordsFor(cue: Cue): ReadonlySet<string> {
  let set = rawWords.get(cue);
  if (!set) {
    set = new Set(
      CUE_LANGUAGES.flatMap((lang) =>
        (LEXICONS[lang]?.[cue] ?? "").split(" ").filter((w) => w && !w.endsWith("*")),
      ),
    );
    rawWords.set(cue, set);
  }
  return set;
}
