// Phrase rules, English and German, run on the lower-cased post body (links
// and leading @handles removed). Each alternative is a whole-word phrase;
// `\s+` between words, `\w*` for endings. Kept as data so each rule is
// reviewable and pinned by a test (test/unit/triage-*.test.ts).

/** Whole words or phrases, on lower-case text. */
export function phrases(...alternatives: string[]): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'u');
}

// ---------------------------------------------------------------------------
// security: account takeover, phishing and fraud in our name

export const SECURITY = phrases(
  'hack(?:ed|er|ers|ing)?', 'hijack(?:ed|ing)?', 'phish(?:ing|y|ed)?', 'spoof(?:ed|ing)?', 'identity\\s+theft', 'data\\s+(?:breach|leak)',
  '(?:account|card|password|email|profile)\\s+(?:was\\s+|has\\s+been\\s+|got\\s+|is\\s+|been\\s+)?(?:compromised|hacked|hijacked|taken\\s+over|stolen|breached)',
  'unauthori[sz]ed\\s+(?:charges?|access|log\\s?ins?|transactions?|purchases?|payments?|use|activity|withdrawals?)',
  '(?:someone|somebody|some\\s+one)\\s+(?:has\\s+|had\\s+)?(?:logged|got|broke|gotten|accessed|hacked|changed|used)\\s+(?:in(?:to)?\\s+)?(?:my|our)',
  'fake\\s+(?:\\w+\\s+)?(?:account|profile|page|support|website|site|e-?mails?|sms|texts?|links?|app|customer\\s+service)',
  'suspicious\\s+(?:e-?mails?|links?|sms|texts?|calls?|log\\s?ins?|activity|messages?)', 'scam\\s+(?:e-?mails?|texts?|calls?|links?|sites?|accounts?)',
  'is\\s+this\\s+(?:a\\s+)?(?:scam|phishing|legit|real|genuine)', 'fraud(?:ulent)?\\s+(?:alert|charges?|e-?mails?|calls?|activity|transactions?)',
  'security\\s+(?:breach|vulnerability|hole|flaw)', 'malware', 'ransomware', 'two[-\\s]factor',
  'gehackt', 'hacker\\w*', 'phishing\\w*', 'identitätsdiebstahl', 'datenleck', 'datenpanne', 'sicherheitslücke\\w*', 'schadsoftware',
  'gefälscht\\w*\\s+(?:\\w+\\s+)?(?:mail|e-mail|sms|seite|webseite|website|account|konto|nachricht|profil|shop)', 'fake-?(?:account|shop|mail|seite|profil)\\w*',
  '(?:konto|account|profil|zugang)\\s+(?:wurde\\s+|ist\\s+)?(?:gehackt|übernommen|gekapert|kompromittiert)',
  '(?:jemand|unbekannte)\\s+hat\\s+(?:sich\\s+)?(?:in\\s+)?(?:mein|meinem|meinen)', 'unbefugt\\w*', 'nicht\\s+autorisiert\\w*', 'betrugs-?(?:mail|sms|anruf)\\w*',
);

// ---------------------------------------------------------------------------
// spam and trolling: not answered

export const SPAM = phrases(
  'follow\\s+(?:me|back|for\\s+follow)', 'free\\s+followers', '(?:get|buy|gain)\\s+(?:\\d+\\s+)?(?:real\\s+)?followers', 'giveaway', 'click\\s+(?:here|the\\s+link|link\\s+in\\s+bio)',
  'retweet\\s+to\\s+win', 'rt\\s+to\\s+win', 'win\\s+(?:a|an|free)\\s+(?:free\\s+)?(?:iphone|ipad|gift\\s+card|trip|\\$)', 'dm\\s+(?:me\\s+)?for\\s+(?:promo|promotion|collab|business)',
  'check\\s+out\\s+my\\s+(?:channel|page|profile|store|shop|mixtape|soundcloud)', 'subscribe\\s+to\\s+my', 'earn\\s+\\$?\\d+', 'work\\s+from\\s+home', 'crypto', 'bitcoin',
  'btc', 'nft', 'forex', 'onlyfans', 'sugar\\s+daddy', 'followback', 'f4f', 'l4l', 'make\\s+money\\s+(?:online|fast)',
  'folgt\\s+mir', 'gewinnspiel', 'jetzt\\s+gewinnen', 'klick\\s+hier', 'geld\\s+verdienen', 'follower\\s+kaufen', 'abonniert\\s+(?:meinen|mich)',
);

// ---------------------------------------------------------------------------
// complaint: a problem with the product or service, or plain anger at us

export const COMPLAINT = phrases(
  // Something does not work.
  '(?:not|never|unable\\s+to|cannot|(?:can|don|won|didn|doesn|isn|wasn|couldn|wouldn|haven|hasn|aren|weren)\'?t|still\\s+not|no\\s+longer)\\s+(?:seem\\s+to\\s+|even\\s+|yet\\s+|always\\s+|really\\s+)?(?:be\\s+able\\s+to\\s+)?(?:work\\w*|load\\w*|connect\\w*|open\\w*|log\\w*\\s+in|sign\\w*\\s+in|access\\w*|receiv\\w*|arriv\\w*|show\\w*\\s+up|respond\\w*|repl\\w*|answer\\w*|fix\\w*|deliver\\w*|refund\\w*|accept\\w*|process\\w*|updat\\w*|charg\\w*|turn\\w*\\s+on|play\\w*|stream\\w*|sync\\w*|send\\w*|sent|come|came|get|got|hear\\w*|help\\w*|let\\s+me|find|found|reach\\w*|call\\w*\\s+back|resolv\\w*|credit\\w*|honou?r\\w*|exist\\w*|here\\s+yet|updated)',
  'still\\s+(?:waiting|no|nothing|haven\'t|hasn\'t|havent|hasnt|have\\s+not|has\\s+not|don\'t|doesn\'t|broken|down|charging|delayed|stuck|sitting|on\\s+hold|missing|having|getting|not)',
  '(?:been\\s+|waiting\\s+|waited\\s+|wait\\s+|for\\s+|over\\s+)(?:for\\s+)?(?:\\d+|two|three|four|five|several|many|over\\s+\\d+)\\s*(?:\\+\\s*)?(?:minutes|mins|hours|hrs|days|weeks|months)',
  'on\\s+hold', 'no\\s+(?:response|reply|answer|one|help|service|signal|internet|wifi|wi-fi|power|refund|update|updates|word|sign|info|information|call\\s+back|callback|email|luck|availability|explanation|apology|compensation)',
  'nobody\\s+(?:has|is|will|can|answered|responded|helps|cares|knows)', 'never\\s+(?:received|got|arrived|came|showed|answered|responded|again|fixed|heard|called|delivered)',
  '(?:charged|billed)\\s+(?:me\\s+)?(?:twice|double|two\\s+times|again|extra)', 'double\\s+charged', 'overcharg\\w*', 
  '(?:keeps?|kept)\\s+(?:crashing|freezing|dropping|disconnecting|failing|cancel\\w*|asking|saying|getting|telling|buffering|logging|happening|changing)',
  'crash\\w*', 'freez(?:es|ing)', 'froze', 'glitch\\w*', 'bugg?(?:y|ed)?', 'broken', 'down\\s+again', 'is\\s+down', 'fail(?:s|ed|ing|ure)?',
  'overbook\\w*', 'oversold', 'stranded', 'stuck', 'lost\\s+(?:my\\s+|our\\s+)?(?:bag|bags|luggage|package|order|suitcase|item)',
  'missing', 'damaged', 'wrong\\s+(?:order|item|size|address|charge|product|package)', 'late\\s+again', 'where\\s+is\\s+my', 'where\\s*\'?s\\s+my', 'where\\s+are\\s+my',
  '(?:why|how\\s+come)\\s+(?:is|are|does|do|did|can\'t|cant|won\'t|wont|haven\'t|havent|hasn\'t|hasnt|isn\'t|isnt|am\\s+i|was\\s+i|were\\s+we|would\\s+you|do\\s+you\\s+keep|the\\s+hell|on\\s+earth|is\\s+it\\s+so)',
  'worst', 'terrible', 'horrible', 'awful', 'unacceptable', 'ridiculous', 'disappoint\\w*', 'frustrat\\w*', 'fed\\s+up', 'sick\\s+of', 'tired\\s+of', 'annoy\\w*',
  'fix\\s+(?:this|it|your|the)', 'do\\s+better', 'get\\s+it\\s+together', 'poor\\s+(?:service|customer|quality|communication)', 'bad\\s+(?:service|customer|experience|quality)',
  'customer\\s+service\\s+(?:is|sucks|was|has)', 'what\\s+a\\s+joke', 'shame\\s+on', 'never\\s+again', 'fail(?:ed)?\\s+(?:to|again)', 'epic\\s*fail', 'badservice',
  'customerservicefail', 'switching\\s+to', 'false\\s+advertising', 'rip\\s*-?off',
  'scam(?:med|mers?)?', 'lied', 'lying', 'waste\\s+of', 'wasted', 'sucks?', 'rude\\w*', 'useless', 'incompeten\\w*', 'unprofessional', 'pathetic', 'joke',
  'ignor(?:ed|ing)', 'can\'t\\s+believe', 'cant\\s+believe', 'not\\s+happy', 'not\\s+impressed', 'not\\s+acceptable', 'unhappy', 'issues?\\s+with', 'problems?\\s+with',
  'never\\s+(?:\\w+\\s+){1,4}again', '(?:won\'t|will\\s+not|wont|not\\s+going\\s+to)\\s+(?:be\\s+|ever\\s+)?(?:fly\\w*|us(?:e|ing)|book\\w*|buy\\w*|choos\\w*|recommend\\w*|shop\\w*)',
  'still\\s+(?:on|in|at|crickets|nothing|no\\s+\\w+)', 'took\\s+(?:about\\s+|over\\s+|almost\\s+|nearly\\s+)?(?:an?|\\d+|two|three|four|five|several)\\s+(?:hours?|days?|weeks?|months?)',
  'for\\s+hours', 'hours?\\s+(?:late|delay\\w*|wait\\w*)', 'lack\\s+of', 'where\\s+(?:is|are)\\s+our', 'please\\s+do\\s+something',
  'no\\s+(?:\\w+\\s+)?(?:updates?|departure\\s+time|communication|choice|outlets|food|seats?|way)', '(?:doesn\'t|does\\s+not|didn\'t|won\'t|can\'t)\\s+(?:even\\s+)?(?:recline|care|bother)',
  'what\\s*(?:is|\'s)\\s+(?:going\\s+on|the\\s+(?:deal|problem|hold\\s*up))', 'how\\s+(?:is\\s+it|can\\s+it\\s+be)\\s+(?:possible|that|ok)', 'come\\s+on', 'unbelievable',
  'broke', 'ripped', 'torn', 'cracked', 'expired', 'leak(?:s|ed|ing)?', 'faulty', 'defective', 'scratched', 'stopped\\s+working', 'no\\s+longer', 'supposed\\s+to',
  'does\\s+nothing', 'constantly', 'continually', '(?:every|each)\\s+time', 'always\\s+(?:breaks|crash\\w*|late|down|fail\\w*|wrong|out)', '(?:are\\s+)?you\\s+kidding',
  'really\\s*\\?', 'seriously\\s*\\?', 'why\\s*\\?', 'wow\\s+just\\s+wow', 'wtf', 'what\\s+the\\s+(?:fuck|hell|heck|f)', 'cancel+ing\\s+my', 'for\\s+the\\s+(?:past|last)\\s+(?:\\d+|few|couple|several)',
  'past\\s+(?:few|couple|\\d+)\\s+(?:of\\s+)?(?:days|weeks|months)', 'forg(?:et|ot|otten)', 'unreliable', 'unsafe', 'shocking', 'cut\\s+(?:me|you|us)\\s+off', 'hung\\s+up',
  'incomplete', '(?:haven\'t|hasn\'t|havent|hasnt|not)\\s+(?:yet\\s+)?(?:arrived|received|come|delivered|appearing|showing|shipped)', 'how\\s+come',
  'why\\s+(?:\\w+\\s+){0,4}(?:not|no|never|\\w+n\'t)', 'running\\s+late', '\\d+\\s*(?:min|mins|minutes|hours|hrs)\\s+late', 'late\\s+(?:for|again|delivery)', 'make\\s+me\\s+late',
  'yet\\s+to\\s+(?:arrive|receive|be|get|hear)', '(?:got|get|getting|received|heard)\\s+nothing', 'nothing\\s+back', 'no\\s+reason', 'not\\s+getting',
  '(?:is|went|goes|gone)\\s+out', 'died', 'dead', 'let\\s+(?:me|us)\\s+down', 'nothappy', 'what\\s+gives', 'what\\s*\'?s\\s+(?:up|happening|going\\s+on)\\s+(?:with|to)',
  'continuously', 'disappeared', 'vanished', 'refus(?:ed|es|ing)', 'smashed', 'days?\\s+late', 'too\\s+long', 'last\\s+time\\s+i', 'any\\s+updates?',
  '(?:found|find)\\s+my\\s+\\w+\\s+yet', 'it\\s+was\\s+working', 'is\\s+this\\s+normal', 'same\\s+(?:issue|problem)', 'any\\s+reason', 'eta\\s+on', 'how\\s+does\\s+this\\s+happen',
  'what\\s+are\\s+you\\s+playing\\s+at', '(?:check|checked)\\s+(?:my|your|you|the)\\s+dms?', 'sent\\s+(?:you\\s+)?(?:a\\s+)?dms?', 'mixed\\s+messages?',
  '(?:second|2nd|3rd|third|fourth|4th)\\s+time',
  'having\\s+(?:issues|problems|trouble)', 'trouble\\s+(?:with|getting|logging|connecting)', 'urgent\\w*', 'complain\\w*', 'disgust\\w*',
  'pissed', 'angry', 'mad\\s+at', 'sort\\s+(?:this|it)\\s+out', 'no\\s+way\\s+to', 'unable\\s+to', 'won\'t\\s+let', 'wouldn\'t\\s+let', 'doesn\'t\\s+let', 'didn\'t\\s+get',
  'haven\'t\\s+(?:received|got|heard|been)', 'hasn\'t\\s+(?:arrived|been|shipped|come|moved)', 'too\\s+long', 'taking\\s+forever', 'takes\\s+forever', 'ages',
  // Deutsch.
  '(?:funktioniert|geht|klappt|lädt|öffnet|kommt|fährt|hält|reagiert|antwortet)\\s+(?:\\w+\\s+){0,2}(?:nicht|nie|immer\\s+noch\\s+nicht|schon\\s+wieder\\s+nicht)',
  'kein(?:e|en)?\\s+(?:wlan|netz|empfang|anschluss|zug|bus|strom|internet|ersatz|service|antwort|rückmeldung|info\\w*|durchsage|ansage|klimaanlage|toilette|reservierung|erstattung|entschädigung|hilfe|reaktion|platz|sitzplatz|ahnung)',
  'f(?:ä|a)llt\\s+(?:\\w+\\s+){0,3}aus', 'fallen\\s+(?:\\w+\\s+){0,3}aus', 'fiel\\s+(?:\\w+\\s+){0,3}aus', 'ausgefallen', 'zu\\s+spät', 
  'gestört', 'immer\\s+noch', 'schon\\s+wieder', 'mal\\s+wieder', 'wieder\\s+mal', 'jedes\\s+mal', 'ständig', 'dauernd',
  'seit\\s+(?:\\d+|einer|zwei|drei|vier|fünf|stunden|tagen|wochen|monaten|gestern)', 'warte\\w*\\s+(?:seit|schon|immer)', 'frechheit', 'unverschämt\\w*', 'zumutung', 'skandal\\w*',
  'katastroph\\w*', 'kaputt', 'defekt\\w*', 'überfüllt', 'verpasst', 'anschluss\\s+(?:verpasst|weg)', 'nie\\s+wieder', 'saftladen', 'was\\s+soll\\s+(?:das|der)',
  'beschwer\\w*', 'ärger\\w*', 'enttäusch\\w*', 'schlecht\\w*', 'unfreundlich\\w*', 'stecken\\s+geblieben', 'steh(?:en|t|e)\\s+(?:\\w+\\s+){0,3}(?:fest|rum|herum)', 'festgesessen',
  'geld\\s+zurück', 'abgebucht', 'doppelt\\s+(?:abgebucht|bezahlt|berechnet)', 'unmöglich', 'peinlich', 'lächerlich',
  'warum\\s+(?:ist|sind|fährt|fahren|kommt|gibt|hält|dauert|muss|kann|geht|wird|klappt|funktioniert)', 'wieso', 'weshalb', 'chaos', 'nervt', 'genervt', 'sauer', 'wütend',
  'mies\\w*', 'überteuert', 'abzocke', 'wo\\s+bleibt', 'umsonst\\s+gewartet', 'gestrandet',
);

/**
 * Problem topics: a complaint when stated, but a question about them is a
 * question ("is the outage over?", "wann kommt meine Erstattung?").
 */
export const PROBLEM_TOPIC = phrases(
  'refund\\w*', 'money\\s+back', 'errors?', 'outages?', 'delay\\w*', 'cancell?(?:ed|ation|ations)', 'ausfall\\w*', 'zugausfall\\w*', 'verspät\\w*',
  'störung\\w*', 'streik\\w*', 'erstattung', 'entschädigung', 'fahrgastrechte',
);

// ---------------------------------------------------------------------------
// question: asks for information or help, with or without a question mark

/** At the start of a sentence. */
export const QUESTION_START = new RegExp(
  '(?:^\\s*|[.!?\\n:;]\\s*|\\s-\\s)(?:' +
    [
      'how', 'what', 'when', 'where', 'which', 'who', 'whom', 'whose', 'what\'s', 'whats', 'where\'s', 'wheres', 'how\'s', 'hows', 'is\\s+there', 'are\\s+there',
      '(?:can|could|will|would|should|shall|do|does|did|is|are|was|were|have|has|am|may|might|won\'t|can\'t|don\'t|doesn\'t|isn\'t|aren\'t)\\s+(?:i|you|u|we|they|it|he|she|there|this|that|these|those|my|your|ur|our|someone|anyone|anybody|somebody|the|a|an|y\'all)',
      'any\\s+(?:idea|ideas|update|updates|news|info|word|eta|chance|reason|plans|way|help|advice|suggestions)',
      'wie', 'was', 'wann', 'wo', 'woher', 'wohin', 'wieso', 'weshalb', 'warum', 'welche\\w*', 'wer', 'wen', 'wem', 'wieviel\\w*', 'wie\\s+viel\\w*', 'inwiefern',
      '(?:kann|könnt|können|könnte|könntet|könnten|darf|dürfen|muss|müssen|soll|sollte|habt|haben|hat|ist|sind|gibt|gilt|fährt|fahren|hält|halten|bekomme|bekommt|bekommen|wird|werden|weiß|wisst|wissen|brauche|braucht|geht|funktioniert|kostet|reicht|bin|war|wäre|würde|würdet)\\s+(?:ich|man|ihr|sie|es|das|der|die|den|dem|jemand|mir|mich|mein|meine|meinen|ein|eine|einen|dieser|diese|dieses|denn|da|hier|dort|auch)',
    ].join('|') +
    ')(?![\\p{L}\\p{N}])',
  'u',
);

export const QUESTION = phrases(
  'i\\s+(?:was\\s+)?wonder(?:ing)?', '(?:i\\s+)?(?:need|want|would\\s+like|\'d\\s+like)\\s+to\\s+know', 'please\\s+(?:advise|confirm|let\\s+me\\s+know|tell\\s+me|explain|check)',
  'let\\s+me\\s+know', 'can\\s+someone', 'anyone\\s+know', 'does\\s+anyone', 'is\\s+it\\s+possible', 'help\\s+me', 'how\\s+(?:do|can|would|should)\\s+i',
  'looking\\s+for\\s+(?:info|information|help|advice)', 'not\\s+sure\\s+(?:how|what|if|whether|where)', 'need\\s+(?:help|advice|assistance)', 'advice\\s+(?:on|please)',
  'weiß\\s+jemand', 'wisst\\s+ihr', 'hat\\s+jemand', 'kann\\s+mir\\s+jemand', 'ich\\s+(?:würde\\s+gerne?\\s+wissen|frage\\s+mich|möchte\\s+wissen|wüsste\\s+gerne?)',
  'bitte\\s+um\\s+(?:info\\w*|auskunft|rückmeldung|hilfe|antwort)', 'gibt\\s+es\\s+(?:eine?n?|die|da)', 'kann\\s+man', 'wie\\s+kann\\s+ich',
);

// ---------------------------------------------------------------------------
// idea: a suggestion for improvement

export const IDEA = phrases(
  'you\\s+(?:guys\\s+|all\\s+|really\\s+)?(?:should|could|need\\s+to|ought\\s+to|must)\\s+(?:really\\s+|also\\s+|seriously\\s+|definitely\\s+)?(?:add|offer|make|have|consider|bring|start|allow|let|put|provide|include|create|introduce|improve|change|update|hire|open|get|think|try|do|use|implement|look|stop|give|sell|release|support|partner|invest|carry|expand|extend|upgrade|fix)',
  '(?:it|that|this)\\s+(?:would|will|could)\\s+be\\s+(?:really\\s+|very\\s+|so\\s+|much\\s+)?(?:nice|great|good|awesome|cool|helpful|useful|better|ideal|fantastic|amazing|easier|convenient|wonderful|brilliant|a\\s+good\\s+idea|a\\s+great\\s+idea|good\\s+to)',
  '(?:it|that)\\s*\'d\\s+be', 'would\\s+be\\s+(?:really\\s+)?(?:nice|great|helpful|better|useful|good|awesome|cool|ideal|easier|handy)', 'would\\s+(?:love|like)\\s+(?:to\\s+see|it\\s+if|if|for\\s+you)',
  '(?:i\\s+)?wish\\s+(?:you|there|it|they|the|we|i\\s+could)', 'please\\s+(?:add|bring|consider|make|allow|enable|include|provide|implement|introduce|support|let|offer|create|improve|give|expose|integrate|extend|remove|change|update)',
  'why\\s+(?:not|don\'t\\s+you|dont\\s+you|can\'t\\s+you|cant\\s+you)', 'how\\s+about', 'what\\s+about\\s+(?:adding|making|a|an|some)', 'suggest\\w*', 'idea', 'feature\\s+request\\w*',
  'recommend\\w*', 'consider\\s+(?:adding|making|offering|using|allowing|providing|including)', 'should\\s+(?:be\\s+able|be\\s+(?:an?|more|possible|allowed|available|optional)|have|allow|include|support|add|provide|offer|let|give|make|enable|expose|show|display|consider|implement|also)',
  '(?:there\\s+)?should\\s+be\\s+(?:a|an|some|more|option|way)', 'could\\s+you\\s+(?:please\\s+)?(?:add|make|consider|bring|offer|allow|provide|enable|include)',
  'allow\\s+(?:users|us|me|people|the|developers|devs|apps|to)', 'add\\s+(?:a|an|the|support|option|ability|more|feature|some)', 'make\\s+it\\s+(?:possible|easier|so|easy)',
  'provide\\s+(?:a|an|the|option|ability|more|support|some)', 'enable\\s+(?:the|us|users|a|an|developers|devs)', 'bring\\s+back', 'support\\s+for', 'option\\s+to', 'ability\\s+to',
  'be\\s+able\\s+to', 'would\\s+be\\s+(?:a\\s+)?(?:nice|good|great)\\s+(?:feature|addition|option|idea)', 'in\\s+(?:the\\s+)?future', 'hope\\s+(?:you|they)\\s+(?:will|add|bring|consider)',
  'need(?:s)?\\s+(?:a|an|to\\s+(?:add|have|be|allow|support|provide))', 'must\\s+(?:have|be|add|allow|support)',
  'ihr\\s+solltet', 'sie\\s+sollten', 'man\\s+sollte', 'sollte\\s+man', 'es\\s+sollte', '(?:es\\s+)?wäre\\s+(?:doch\\s+|echt\\s+|sehr\\s+|wirklich\\s+)?(?:schön|toll|super|gut|besser|praktisch|hilfreich|sinnvoll|klasse|nett|cool|großartig|wünschenswert)',
  'wie\\s+wäre\\s+es', 'warum\\s+nicht', 'vorschlag\\w*', 'idee\\w*', 'anregung\\w*', 'ich\\s+wünsche\\s+mir', 'wünschenswert', 'fände\\s+ich\\s+(?:gut|toll|super|schön|klasse)',
  'würde\\s+mich\\s+freuen,?\\s+wenn', 'könnt(?:et)?\\s+ihr\\s+nicht', 'bitte\\s+(?:führt|bietet|macht|fügt|ermöglicht|baut|richtet|zeigt|stellt|bringt)',
);

/** A sentence opening with a bare verb: "Add dark mode.", "Allow developers to …". */
export const IMPERATIVE_START = new RegExp(
  '(?:^\\s*|[.!?\\n]\\s*)(?:please\\s+)?(?:add|allow|make|provide|enable|let|include|give|support|create|implement|improve|bring|introduce|offer|consider|remove|integrate|expose|extend|increase|reduce|display|show|change|update|fix|put|use|open|keep|stop|start|have|do\\s+not|don\'t)\\s',
  'u',
);

// ---------------------------------------------------------------------------
// praise: thanks and compliments

export const PRAISE = phrases(
  'thanks?', 'thank\\s+you', 'thx', 'ty', 'tysm', 'appreciate\\w*', 'kudos', 'shout\\s*-?out', 'love', 'loved', 'loving', 'great', 'awesome', 'amazing', 'excellent',
  'fantastic', 'wonderful', 'brilliant', 'best', 'well\\s+done', 'good\\s+job', 'great\\s+job', 'props', 'hats\\s+off', 'made\\s+my\\s+day', 'impressed', 'perfect',
  'above\\s+and\\s+beyond', 'superb', 'outstanding', 'grateful', 'happy', 'glad', 'nice', 'cheers', 'helpful', 'friendly',
  'danke\\w*', 'vielen\\s+dank', 'merci', 'super', 'toll\\w*', 'klasse', 'lob', 'großartig', 'spitze', 'top', 'perfekt', 'zufrieden', 'gefällt', 'hervorragend', 'freundlich\\w*',
  'hilfsbereit', 'genial', 'prima', 'weiter\\s+so', 'gerne\\s+wieder', 'daumen\\s+hoch',
);

// ---------------------------------------------------------------------------
// sarcasm: praise words that mean the opposite

export const SARCASM = phrases(
  '#sarcasm', '#sarcastic', '#irony', '#not', '#ironie', '#sarkasmus', '#ironieoff', 'yeah\\s+right', 'thanks\\s+a\\s+lot', 'thanks\\s+for\\s+nothing', 'thanks\\s+for\\s+(?:ruining|wasting|the\\s+(?:delay|wait|inconvenience))',
  'oh\\s+(?:great|good|joy|wonderful|perfect|fantastic)', 'just\\s+what\\s+i\\s+needed', 'gotta\\s+love', 'got\\s+to\\s+love', 'so\\s+much\\s+for', 'way\\s+to\\s+go', 'what\\s+a\\s+(?:great|wonderful)\\s+way',
  'love\\s+(?:how|when|that)\\s+(?:you|my|i|the|your|it)', 'nothing\\s+like', 'great\\s+job', 'thanks\\s+(?:again\\s+)?for\\s+(?:making|leaving|keeping|cancel\\w*|delay\\w*|losing)',
  'na\\s+(?:toll|super|klasse|prima|danke|bravo)', 'danke\\s+für\\s+nichts', 'vielen\\s+dank\\s+auch', 'ganz\\s+toll', 'wer\\s+hätte\\s+das\\s+gedacht', 'läuft\\s+bei\\s+(?:euch|dir|der)',
  'herzlichen\\s+glückwunsch', 'bravo', 'danke\\s+(?:auch\\s+)?für\\s+(?:die|den|das)\\s+(?:\\w+\\s+)?(?:verspätung|ausfall|warten|chaos)',
);
export const SARCASM_EMOJI = /\u{1F644}|\u{1F643}|\u{1F612}/u;
/** "/s" closing a post: the Reddit and Twitter mark of sarcasm. */
export const SARCASM_TAIL = /(?:^|\s)\/s\s*$/u;

// ---------------------------------------------------------------------------
// phrases with a valence of their own (words alone miss them)

export const PHRASE_VALENCE: ReadonlyArray<[RegExp, number]> = [
  [phrases('on\\s+hold', 'still\\s+waiting', 'no\\s+(?:response|reply|answer|one|help|refund|update|wifi|wi-fi|power|signal|service)', 'what\\s+a\\s+joke', 'thanks\\s+for\\s+nothing', 'never\\s+again'), -2],
  [phrases('(?:not|n\'t|never|cannot|cant|wont|doesnt|isnt)\\s+(?:work|working|load|loading|connect|connecting|arrive|arrived|show\\s+up|responding|received)', '\\d+\\s*(?:hours?|hrs?)\\s+(?:late|delay\\w*|wait\\w*|on\\s+hold)'), -2],
  [phrases('f(?:ä|a)llt\\s+(?:\\w+\\s+){0,3}aus', 'fallen\\s+(?:\\w+\\s+){0,3}aus', 'fiel\\s+(?:\\w+\\s+){0,3}aus', 'zu\\s+spät', 'danke\\s+für\\s+nichts', 'nie\\s+wieder', '\\d+\\s*min(?:uten|\\.)?\\s+(?:verspätung|später|zu\\s+spät)'), -2],
  [phrases('(?:funktioniert|geht|klappt|kommt|fährt|hält)\\s+(?:\\w+\\s+){0,2}(?:nicht|nie)', 'schon\\s+wieder', 'mal\\s+wieder', 'wieder\\s+mal', 'immer\\s+noch\\s+nicht', 'kein(?:e|en)?\\s+(?:wlan|netz|empfang|anschluss|klimaanlage|toilette)'), -1],
  [phrases('well\\s+done', 'good\\s+job', 'made\\s+my\\s+day', 'above\\s+and\\s+beyond', 'shout\\s*-?out', 'hats\\s+off', 'weiter\\s+so', 'gute\\s+fahrt', 'gute\\s+reise', 'daumen\\s+hoch'), 2],
];
