// German valence, written for Hearken (no redistributable German lexicon of
// enough quality was found on npm: SentiWS and GermanPolarityClues are
// non-commercial). Lemmas and frequent forms, -3 … +3 like AFINN; the
// sentiment module also tries each word without its inflection ending
// (schlechten → schlecht). Travel and service failures (Verspätung, Ausfall,
// Störung, Streik) are negative: that is what customers complain about.

const NEGATIVE: Record<number, string> = {
  [-3]: `furchtbar schrecklich katastrophal katastrophe miserabel frechheit unverschämt unverschämtheit skandal skandalös zumutung
    unzumutbar inakzeptabel wütend wut stinksauer hass hasse hassen hasst scheiße scheiss scheiß kacke beschissen idiot idioten unfähig
    inkompetent desaster debakel abzocke abgezockt betrug betrüger betrügerisch ekelhaft widerlich grauenhaft grauenvoll grottig
    grottenschlecht saftladen armutszeugnis lachnummer pleite suizid bombendrohung tödlich unverschämte peinlichkeit schwachsinn
    verarsche verarscht katastrophen horror albtraum alptraum`,
  [-2]: `schlecht schlimm mies übel ärgerlich ärgern ärger geärgert ärgert nervig nervt nerven genervt nervend peinlich enttäuscht
    enttäuschend enttäuschung lächerlich traurig sauer dumm doof blöd bescheuert unfreundlich unhöflich arrogant chaos chaotisch kaputt
    defekt ausgefallen ausfall ausfälle zugausfall zugausfälle störung störungen verspätung verspätungen verspätet verspätete
    verspäteten verspäten streik streiks gestreikt streiken bahnstreik lokführerstreik warnstreik überfüllt überteuert dreck dreckig
    schmutzig stinkt eklig gefährlich unfall unfälle tot tote verletzt verletzte angst versagen versagt mangelhaft unzuverlässig
    unpünktlich lahm stress stressig unbrauchbar nutzlos sinnlos hässlich lärm bahnlärm überlastet marode panne pannen verloren
    gestohlen diebstahl diebe taschendiebe gewalt angriff angegriffen schlägerei notarzteinsatz personenschaden entgleist evakuiert
    pöbelt rücksichtslos entlassen stellenabbau verlust verluste schulden preiserhöhung preiserhöhungen fail epic unmöglich
    katastrophe nervenaufreibend grausam kriminell kriminelle festgenommen vandalismus schikane sauerei dreist frech verpennt
    randale gestrandet festsitzen festgesessen funkloch funklöcher`,
  [-1]: `leider problem probleme problematisch fehler falsch gestört verzögerung verzögerungen verzögert spät später warten wartezeit
    wartet gewartet verpasst verpassen gestrichen streichen streicht teuer teurer sorge sorgen schade mangel mängel langsam anstrengend
    kritik kritisiert kritisieren beschwerde beschwerden beschweren streit konflikt tarifkonflikt droht drohen drohung warnung warnt
    sperrung gesperrt baustelle baustellen ersatzverkehr schienenersatzverkehr verwirrung unklar fehlt fehlen fehlende vergessen
    umständlich kompliziert schwierig schwierigkeiten veraltet hitze eng gedränge drängeln bedauern abgesagt storniert kündigen
    gekündigt kündigung rückgang minus verdächtig polizei bundespolizei unterbrochen unterbrechung umleitung ausfallen einschränkungen
    eingeschränkt behinderungen überfällig vermisst ungültig verweigert abgelehnt knapp voller schwarzfahrer klimaanlage
    notarzt räumung geräumt bombe brand feuer ausgebremst vorwürfe vorwurf klagen verklagt ärgerliche umleitung umgeleitet
    eingestellt gefahr risiko risiken sicherheitsrisiko sicherheitsrisiken versäumnis versäumnisse rutsch erdrutsch dammrutsch
    entwendet geklaut missbraucht missbrauch belästigt belästigung betrunken betrunkener randalierer pöbeln pöbelei rassistisch
    versperrt blockiert lärmend stinkend ausgebucht teuerer erhöhung erhöhungen mehrkosten zuzahlen nachzahlen
    vergeblich unpassend unsinn quatsch blödsinn dumm dummer elend mangelnde lahmgelegt stillstand stillgelegt
    stundenlang ewig ewigkeit`,
};

const POSITIVE: Record<number, string> = {
  3: `super toll klasse spitze genial großartig grossartig hervorragend ausgezeichnet exzellent perfekt wunderbar wunderschön glücklich
    lieben liebt fantastisch phantastisch traumhaft herrlich vorbildlich beste bestens geil begeistert begeisternd sensationell
    überragend grandios mega`,
  2: `gut gute guten gutes prima schön schöne nett freundlich hilfsbereit zufrieden froh freue freuen freut freude gefreut danke dankbar
    bedanken bedanke lob loben gelobt geliebt gefällt empfehlen empfehlenswert pünktlich bequem komfortabel sauber entspannt
    entspannend angenehm preiswert top cool lecker yay juhu hurra lustig witzig spaß freundlichkeit kompetent professionell
    zuverlässig verlässlich erfolgreich erfolg gewonnen optimal ideal hilfreich geholfen gelungen geklappt verbessert verbesserung
    schnell schneller superschnell nice läuft gerettet lieblings`,
  1: `dank mag gefallen pünktlichkeit ruhig günstig kostenlos gratis sparen besser praktisch gelöst behoben funktioniert klappt
    modern willkommen fair verständnis lieb liebe freundlicher`,
};

function build(groups: Record<number, string>): Array<[string, number]> {
  return Object.entries(groups).flatMap(([score, words]) =>
    words
      .split(/\s+/u)
      .filter(Boolean)
      .map((w): [string, number] => [w, Number(score)]),
  );
}

export const DE_VALENCE: ReadonlyMap<string, number> = new Map([...build(NEGATIVE), ...build(POSITIVE)]);
