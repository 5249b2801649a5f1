"""Romanian document vocabulary: document types, acts cited by number, role words.

These are tables of data, so that a new type of document, a new kind of act or
a new role is one line here, not a change to the extraction code in
:mod:`arhiva.metadata`. All patterns are regular expressions over the *folded*
lowercase text (no diacritics: ``hotarare`` stands for ``hotărâre`` and
``HOTĂRÂREA`` alike), with ``\\s+`` between words.

- :data:`DOCUMENT_TYPES`: each type with the heading that names it at the top of
  a document (``HOTĂRÂREA nr. 45``, ``PROCES-VERBAL``, ``Comunicat de presă:``)
  and the cues in the body that suggest it when no heading does;
  :data:`OPERATIVE_FORMULAS`, the line that opens an act's operative part
  (``HOTĂRĂȘTE:``, ``DISPUNE:``).
- :data:`ACT_KINDS`: the acts a document cites by number (``Legea nr. 98/2016``,
  ``HCL nr. 45/2021``), with the inflected forms in which they are cited.
- :data:`ROLES`: the roles under which people sign or are named
  (``Președinte de ședință``, ``Secretar general``, ``Primar``).
"""

from __future__ import annotations

from dataclasses import dataclass

from arhiva.romanian.calendar import MONTHS, WEEKDAYS


@dataclass(frozen=True)
class DocumentType:
    """A type of document: its name, its heading at the top, its cues in the body.

    ``heading`` matches at the start of one of the first lines; ``body`` cues
    are counted in the whole text, each with its weight.
    """

    name: str
    heading: str
    body: tuple[tuple[str, float], ...] = ()


#: The types, in the order they are tried on a heading line: a longer name
#: before a shorter one it contains (``ordonanță de urgență`` before ``ordonanță``).
#: ``altul`` (other) is what a document none of them fits gets. A heading is
#: read with its letter-spacing joined (``P R O I E C T  D E  H O T Ă R Â R E``),
#: so the spaces between the words of a heading may be missing.
#: A *proiect de hotărâre* is a ``hotărâre`` (a draft of any act is that act: ``PROIECT DECIZIA
#: ETAPEI DE ÎNCADRARE`` is a ``decizie``); the *minută* of a meeting
#: (``Minuta ședinței …``, ``Minută de dezbatere publică``) is its ``proces-verbal``.
#: A government's *informație de presă* (or *informare de presă*) on a meeting is a ``comunicat de presă``.
#: The public an authority tells something: ``informează cetățenii``, ``… pe toți locuitorii``.
_PUBLIC_TOLD = (r"(?:pe\s+)?(?:toti\s+)?(?:cetatenii|publicul|locuitorii|populatia|contribuabilii|utilizatorii|consumatorii"
                r"|clientii|beneficiarii|parintii|elevii|candidatii|proprietarii)")
#: Not a letter's addressee but the public at large, after ``în atenția`` or ``către:`` (``Către: Cetățenii din
#: comuna …``, ``În atenția cetățenilor cât și fermierilor``): a notice's, not a letter's.
_NOT_PUBLIC = (r"(?![ \t\n]*(?:toti\s+|tuturor\s+)?(?:cetatean|cetateni|publicul|locuitor|populati|contribuabil|proprietar"
               r"|fermier|agricultor|crescator|parinti|elevi|candidati)\w*\b)")
#: What is told is done, in the same sentence: ``… că a fost creat``, ``… că s-au finalizat``.
_TOLD_DONE = r"[^.\n]{0,150}?\b(?:a|au|s-a|s-au)\s+(?:fost\s+)?[a-z]{2,}(?:at|it|ut|as|is|us|ns|rs)\b"
DOCUMENT_TYPES: tuple[DocumentType, ...] = (
    DocumentType(
        "comunicat de presă",
        r"comunicat(?:ul)?(?:\s+de\s+presa)?|informa(?:re|ti[ae])\s+de\s+presa|press\s+release|mesaj(?:ul)?",
        (  # the noun, not the participle (``stabilit și comunicat de către ISMB``, ``a fost comunicat``)
         (r"(?<!\bsi )(?<!\bfost )(?<!\bfi )\bcomunicat\b(?!\s+(?:de\s+catre|prin)\b)", 2.0),
         (r"\ba(?:u)?\s+avut\s+loc\b", 1.0), (r"\bresponsabili?\s+(?:de\s+)?proiect", 2.0),
         # a news item reporting a council's meeting: ``s-a întrunit``, ``au fost prezenți``, ``votate unanim``
         (r"\bs-au?\s+(?:intrunit|convocat|desfasurat)\b", 1.0), (r"\bau\s+fost\s+prezenti\b", 1.0),
         (r"\b(?:a|au)\s+participat\b", 1.0), (r"\ba\s+(?:declarat|spus|precizat|subliniat)\b", 1.0),
         (r"\b(?:votate|aprobate|adoptate)\s+(?:in\s+)?unanim", 1.0),
         # (``vă informează că …``, ``informează cetățenii că …`` are a notice's, unless what follows is told as done:
         # ``… informează cetățenii că în mediul online a fost creat un grup …``)
         (r"\b(?:primaria|institutia|prefectura|consiliul|inspectoratul|directia|politia|agentia)\b[^.\n]{0,60}\binformeaza\b"
          rf"(?:(?={_TOLD_DONE})|(?<!\bva\sinformeaza)(?!\s+{_PUBLIC_TOLD}))", 2.0),
         # an authority announcing its information campaign: ``CNAM organizează … campania anuală de informare``
         (r"\b(?:compania|agentia|casa|inspectoratul|directia|primaria|ministerul|institutia|politia|autoritatea)\b[^.\n]{0,120}?"
          r"\b(?:organizeaza|lanseaza|desfasoara|deruleaza)\b[^.\n]{0,80}?\bcampani(?:a|e)\b", 2.0),
         (r"\b(?:a|au)\s+(?:demarat|lansat|dat\s+startul)\b[^.\n]{0,40}?\bcampani(?:a|ei)\b", 2.0),  # ``a demarat campania de plantare``
         # an authority's statement to the public: ``Direcția Generală de Pașapoarte … face următoarele precizări:``
         # (not a letter's ``vă facem următoarele precizări``)
         (r"(?<!\bva\s)\bface\s+urmatoarele\s+precizari\b", 2.0),
         # a message of greeting, which the labels take for a press release: ``sincere și cordiale felicitări cu
         # ocazia jubileului``, ``La mulți ani!``, ``Dragi elevi, bine ați revenit la școală!``, ``Vă dorim …``
         (r"\b(?:sincere|calde|cordiale|alese)\s+(?:si\s+[a-z]+\s+)?felicitari\b", 2.0),
         (r"\bla\s+multi\s+ani\b", 1.5),
         (r"\bbine\s+ati\s+(?:re)?venit\b", 2.0),
         (r"\bcu\s+ocazia\s+(?:zilei|jubileului|aniversarii|sarbatorii)\b", 1.0),
         (r"\bva\s+(?:doresc|dorim|urez|uram)\b", 1.0),
         # what an official or a commission's members did, told in the third person: ``Prefectul Ion POPESCU a
         # dispus …``, ``membrii comisiei au analizat 106 dosare``
         (r"\b(?:prefectul|subprefectul|primarul|viceprimarul|ministrul|presedintele|directorul)\b[^.\n]{0,60}?"
          r"\ba\s+(?:dispus|solicitat|anuntat|prezidat|subliniat|transmis|mentionat|cerut)\b", 1.5),
         (r"\bmembrii\s+(?:comisiei|comitetului|colegiului|consiliului)\b[^.\n]{0,40}?"
          r"\bau\s+(?:analizat|discutat|dezbatut|aprobat|avizat|validat)\b", 1.5),
         # an authority's post for social media: ``#GuvernulRomâniei a aprobat …``, ``#PrefecturaBacău a coordonat …``
         (r"(?:^|(?<=\s))#[a-z]{3,}", 1.0),
         (r"\bbiroul?\s+de\s+presa\b", 2.0), (r"\bpurtator(?:ul)?\s+de\s+cuvant\b", 1.0),
         # an official's words quoted and attributed: ``„Este prioritar ca …”, precizează prefectul județului Bacău.``
         (r"[”\"]\s*,?\s*(?:a\s+)?(?:precizeaza|precizat|declara|declarat|subliniaza|subliniat|afirma|afirmat|adauga|adaugat"
          r"|mentioneaza|mentionat)\s+(?:[a-z]+\s+){0,2}?(?:prefectul|subprefectul|primarul|viceprimarul|ministrul|presedintele"
          r"|directorul|seful|purtatorul|comisarul|inspectorul)\b", 2.0),
         # a release's dateline opening a paragraph: ``Chișinău, 19 noiembrie 2020 – Parlamentul a aprobat …``
         (rf"(?:^|\n)[ \t]*(?!(?:{'|'.join(WEEKDAYS)})\b)[a-z]+(?:[ -][a-z]+){{0,2}},[ \t]*\d{{1,2}}[ \t]+(?:{'|'.join(MONTHS)})"
          r"[ \t]+\d{4}[ \t]*[–—-][ \t]+\S", 2.0),
         # the press office signing on a short line of its own: ``Direcția generală comunicare și relații publice …``
         (r"(?:^|\n)[ \t]*(?:directia|serviciul|biroul|compartimentul|departamentul)\b[^\n:]{0,40}\bcomunicare\b[^\n:]{0,80}"
          r"(?:\n|$)", 1.5),
         # an authority telling what it did: ``Poliția Locală …, prin Biroul Control, a efectuat acțiuni de verificare``
         (r"\b(?:politia|jandarmeria|garda|inspectoratul|directia|primaria|institutia)\b[^.\n]{0,150}?"
          r"\ba\s+(?:efectuat|desfasurat|organizat|verificat|actionat|aplicat|constatat|identificat)\b", 1.5),
         # a police or rescue news item, an agency's inspectors at work: ``polițiștii … au constatat``,
         # ``pompierii au intervenit``, ``Inspectorii din domeniul … au început inspecțiile``
         (r"\b(?:politist|jandarm|pompier|salvator|inspector|specialist)ii\b[^.\n]{0,120}?\bau\s+[a-z]+(?:at|it|ut)\b", 2.0),
         # their advice to the public: ``Polițiștii Biroului de Analiză … avertizează cetățenii să …``
         (r"\b(?:politist|jandarm|pompier|salvator)ii\b[^.\n]{0,120}?\b(?:avertizeaza|recomanda|reamintesc|sfatuiesc)\b", 2.0),
         # a news item's credit line (``Text și imagini: …``, ``Foto: …``) and its ``Astăzi, 7 octombrie 2025``
         (r"(?:^|\n)[ \t]*(?:text(?:\s+si\s+(?:imagini|foto))?|foto(?:grafii)?|sursa)\s*:", 2.0),
         (r"\b(?:astazi|azi)\s*,?\s*\d{1,2}\s+(?:ianuarie|februarie|martie|aprilie|mai|iunie|iulie|august"
          r"|septembrie|octombrie|noiembrie|decembrie)\s+\d{4}\b", 1.0),
         # an act told of in the third person: ``Prefectul … a emis Ordinul nr. 12/2018``, ``Astăzi a fost
         # semnat Ordinul``, ``au fost emise … Ordine``; a council's agenda told ahead or after
         (r"\b(?:a|au)\s+emis\s+(?:ordinul|ordinele|dispozitia|dispozitiile|hotar[ai]rea|decizia)\b", 2.0),
         (r"\b(?:a|au)\s+fost\s+(?:emis[ea]?|semnat[ea]?)\b", 1.0),
         (r"(?:^|[.!?]\s+)(?:astazi|azi)\s*,?\s+(?:a|au|s-a|s-au)\s", 1.0),
         (r"\bpe\s+ordinea\s+de\s+zi\s+(?:s-au\s+aflat|s-a\s+aflat|au\s+fost)\b", 1.0),
         (r"\bse\s+va\s+afla\s+pe\s+ordinea\s+de\s+zi\b", 1.0), (r"\ba\s+fost\s+aprobat\s+proiectul\b", 1.0),
         (r"\bva\s+fi\s+supus[a]?\s+aprobarii\s+in\s+cadrul\s+sedintei\b", 1.0)),
    ),
    DocumentType(
        "proces-verbal",
        # (the kind of sitting may follow: ``Minuta ședinței extraordinare a Consiliului Local …``)
        r"proces(?:ul)?[\s\-\u2013\u2014]*verbal|minuta(?:\s+a)?\s+sedint(?:ei|a)(?:\s+(?:extra)?ordinar[ae]?)?"
        # the minute of a public debate or consultation: ``Minută de dezbatere publică``, ``Minuta dezbaterii publice``
        r"|minuta(?:\s+a)?\s+(?:de\s+)?(?:dezbater(?:e|ii)|consultar(?:e|ii))(?:\s+public[ae])?",
        ((r"\bincheiat\s+(?:astazi|azi)\b", 2.0), (r"\bvoturi\s+pentru\b", 1.0), (r"\bse\s+supune\s+(?:la\s+)?vot", 1.0),
         (r"\blucrarile\s+sedintei\b", 1.0), (r"\bse\s+declara\s+sedinta\s+inchisa\b", 2.0),
         # the roll call, told as it happens: ``La ședință sunt prezenți toți cei 37 de consilieri`` (not a
         # rule's ``ședința este legal constituită dacă sunt prezenți …``)
         (r"(?<!daca )\bsunt\s+prezent\w*\b[^.\n]{0,60}?\bconsilier", 2.0)),
    ),
    # Moldova's ``Notă informativă la proiectul deciziei …`` is the note that grounds a draft
    DocumentType("notă de fundamentare", r"nota\s+de\s+fundamentare|nota\s+informativa(?=\s+(?:la|asupra|privind)\s+proiect)",
                 ((r"\bprezenta\s+nota\s+de\s+fundamentare\b", 3.0),)),
    # ``Proiectul ordinii de zi al ședinței …``: an agenda's heading in the genitive, after ``proiectul``
    DocumentType("ordine de zi", r"(?:proiect(?:ul)?\s+(?:de\s+|al\s+)?)?ordin(?:ea|e)\s+de\s+zi|proiect(?:ul)?\s+ordinii\s+de\s+zi", ()),
    DocumentType(
        "ordonanță de urgență",
        r"ordonant[ae]\s+de\s+urgenta|ord\.?\s+de\s+urgenta|o\.?u\.?g\.?(?=\s)",
        ((r"\bprezenta\s+ordonanta\s+de\s+urgenta\b", 3.0),
         # the Government's power to issue emergency ordinances: ``În temeiul art. 115 alin. (4) din Constituția …``
         (r"\bart(?:icolului)?\.?\s*115\s+alin\.?\s*\(4\)[^.;]{0,20}\bconstituti[ae]", 2.0)),
    ),
    DocumentType(
        "ordonanță",
        r"ordonant[ae]|o\.?g\.?(?=\s)",
        ((r"\bprezenta\s+ordonanta\b", 2.0),),
    ),
    DocumentType(
        "hotărâre",
        r"(?:proiect(?:ul)?\s+(?:de\s+)?)?hotar[ai]re(?:a)?|h\.?g\.?(?=\s)|h\.?c\.?[lj]\.?(?=\s)",
        ((r"\bprezenta\s+hotar[ai]re\b", 2.0), (r"\badopta\s+prezenta\s+hotar[ai]re\b", 2.0),
         # the Government's power to adopt decisions: ``În temeiul art. 108 din Constituția României`` (a
         # preamble whose heading the page lost; an ordinance cites the law that empowers it as well)
         (r"\bin\s+temeiul\s+art(?:icolului)?\.?\s*108\b(?![^.;]{0,200}\babilitar)[^.;]{0,20}\bconstituti[ae]", 2.0)),
    ),
    DocumentType(
        "dispoziție",
        r"(?:proiect(?:ul)?\s+(?:de\s+)?)?(?:dispozitia|dispozitie)",
        ((r"\bprezenta\s+dispozitie\b", 3.0),),
    ),
    DocumentType(
        "decizie",
        r"(?:proiect(?:ul)?\s+(?:de\s+)?)?decizi[ae]",
        # the body that adopts it says so before its heading, run into one line with it:
        # ``… Consiliul adoptă următoarea DECIZIE Nr..../.../...``
        ((r"\bprezenta\s+decizie\b", 3.0), (r"\badopta\s+urmatoarea\s+decizie\b", 3.0)),
    ),
    DocumentType("lege", r"legea?", ((r"\bprezenta\s+lege\b", 3.0),)),
    DocumentType("ordin", r"(?:proiect(?:ul)?\s+(?:de\s+)?)?ordin(?:ul)?", ((r"\bprezentul\s+ordin\b", 3.0),)),
    DocumentType(
        "anunț",
        r"anunt(?:ul)?|aviz\s+de\s+(?:informare|consultare)|informare(?:a)?|invitati[ae]|convocator|convocare"
        r"|comunicare(?=\s*$)"  # a school's ``C O M U N I C A R E`` alone over what it organises
        r"|atentionare|avertizare"  # a warning to the public: ``ATENȚIONARE HIDROLOGICĂ … COD GALBEN``
        r"|licitati[ae]\s+publica",  # a tender's notice: ``Licitație publică: Superficie … asupra terenului``
        ((r"\banunta\b", 1.0), (r"\baduce\s+la\s+cunostinta\b", 1.5), (r"\bva\s+avea\s+loc\b", 1.0),
         # the public told: ``… vă anunțăm că:``, ``Primăria vă anunță că …``
         (r"\bva\s+anunt(?:am|a)\s+ca\b", 2.0),
         # the public told: ``… informează cetățenii că …``, ``… vă informează că …``
         (rf"\b(?:va\s+informeaza|informeaza\s+{_PUBLIC_TOLD})\b(?!{_TOLD_DONE})", 1.0),
         # an authority warning those it addresses: ``Prin prezenta, Direcția … atenționează administrațiile``
         (r"\batentioneaza\b", 2.0),
         # addressed, at a line's start, to the public at large: ``În atenția cetățenilor cât și fermierilor …``,
         # ``Către: Cetățenii din comuna …`` (a letter's addressee is named)
         (r"(?:^|\n)[ \t]*(?:in\s+atentia|catre)[ \t]*:?[ \t]*(?:tuturor\s+|toti\s+)?(?:cetatean|cetateni|locuitor|populati"
          r"|proprietar|fermier|agricultor|crescator)\w*\b", 2.0),
         # the issuer announcing (``Primarul … aduce la cunoștința …``; not ``se aduce la cunoștință``)
         # and the formula of an environmental procedure's notice (``anunță publicul interesat``)
         (r"\b(?!se\b)[a-z]+\s+aduce(?:m)?\s+la\s+cunostint", 1.0), (r"\banunta\s+publicul\b", 2.0),
         # ``organizează concurs``, also with its legal basis between (``organizează în temeiul
         # prevederilor art. 177 … concurs pentru ocuparea funcției de manager``)
         (r"\borganizeaza\s+(?:[^;\n]{0,200}?\s)?concurs\b", 2.0),
         # ``Ministerul Educației … anunță concurs pentru ocuparea funcției …``
         (r"\banunta\s+(?:organizarea\s+)?(?:concurs|licitati|selecti)\w*\b", 2.0), (r"\bdosarele\s+de\s+(?:inscriere|concurs|participare)\b", 1.0),
         # a contest's file and calendar: ``dosar de candidatură``, ``depunere dosare``, ``afișarea rezultatelor``
         (r"\bdosar(?:ul|ului|e|ele)?\s+de\s+candidatura\b", 1.0), (r"\bdepunere(?:a)?\s+(?:a\s+)?dosare(?:lor)?\b", 1.0),
         (r"\bafisarea\s+rezultatelor\b", 1.0),
         # a contest, an exam, an auction or a sitting put off: ``Se amână concursul de ocupare a postului …``
         (r"\bse\s+amana\s+(?:concursul|examenul|licitatia|sedinta|proba|selectia|audierea|dezbaterea)\b", 2.0),
         # a call that says who may apply: ``Pot fi atestate … doar persoanele care îndeplinesc următoarele condiții:``
         (r"\b(?:persoanele|candidatii|cei)\s+care\s+indeplinesc\s+(?:urmatoarele\s+|cumulativ\s+)*conditii", 2.0),
         # a hospital's visiting hours told to the public: ``Program aparținători și vizitatori``, ``programul de vizită``
         (r"\bprogram(?:ul)?\s+(?:de\s+)?(?:vizit\w*|(?:pentru\s+)?apartinator\w*)", 2.0),
         # an office's hours told to the public: ``PROGRAM CU PUBLICUL``, ``Programul de lucru cu publicul``
         (r"\bprogram(?:ul)?\s+(?:de\s+lucru\s+)?cu\s+publicul\b", 2.0),
         # opening hours for a period: ``compartimentele … vor funcționa după următorul program:``
         (r"\b(?:va|vor)\s+functiona\s+(?:dupa\s+(?:urmatorul\s+)?program|cu\s+program)\b", 2.0),
         # an enrolment's period and papers: ``Perioada de înscriere: …``, ``Documente necesare la înscriere``
         (r"\bperioada\s+de\s+inscriere\b", 1.0), (r"\bdocumente(?:le)?\s+necesare\b", 1.0),
         (r"\bconditii(?:le)?\s+de\s+participare\b", 1.0),
         # a draft made public under the law on transparency: ``… inițiază procedura de elaborare a următoarelor
         # proiecte de hotărâri``, ``În conformitate cu … Legea nr. 52/2003 …, Consiliul … a elaborat proiectul``
         (r"\binitiaza\s+procedura\s+de\s+elaborare\b", 2.0), (r"\ba\s+elaborat\s+proiectul\b", 1.0),
         (r"\blegea?\s+nr\.?\s*52\s*/\s*2003\b", 1.0),
         (r"\bconsultar(?:e|ea)\s+publica\b", 1.0), (r"\bdezbater(?:e|ea|i|ii|ile)\s+public[ae]\b", 1.0),
         (r"\btransparent(?:a|ei)\s+(?:in\s+procesul\s+)?decizional[ae]?\b", 1.0),
         (r"\bpropuneri(?:le)?\s+(?:si|sau)\s+(?:sugestii|recomandari|observatii|opinii)(?:le)?\b", 1.0),
         # a draft put to the public: ``Administrația orașului … propune spre dezbateri publice Regulamentul …``,
         # ``Primăria or. Cantemir propune spre consultarea populației proiectele de decizii``
         (r"\bpropun\w*\s+(?:spre\s+)?(?:dezbater|consultar)\w*\s+(?:public\w*|populatiei|cetatenilor|locuitorilor)", 2.0),
         (r"\bprob(?:a|ele)\s+(?:scrisa|interviului|interviu|practica)\b", 1.0), (r"\bse\s+va\s+reveni\b", 1.0),
         # the public and the candidates addressed: ``Persoanele interesate …``, ``În atenția candidaților``
         (r"\b(?:persoanele|partile)\s+interesate\b", 1.0), (r"\bcandidat(?:ii|ilor)\b", 1.0),
         # a council convened, told ahead: ``Se convoacă Consiliul Județean … în ședință extraordinară``,
         # ``… se convoacă şedinţa extraordinară a Consiliului raional``, ``Președintele … convoacă Consiliul``
         # (an assembly's session: ``Se convoacă Adunarea Generală a Filialei … în sesiune ordinară``)
         (r"\b(?:se\s+)?convoaca\b[^.\n]{0,120}?\b(?:(?:in\s+)?sedint\w*|in\s+sesiune\w*|in\s+data\s+de)\b", 2.0),
         # what a coming sitting is to debate: ``Subiectele ce urmează a fi dezbătute sunt:``, ``proiectul … care
         # urmează a fi supus spre aprobarea Consiliului Local``
         (r"\b(?:ce|care)\s+urmeaza\s+(?:sa\s+fie|a\s+fi)\s+(?:dezbatut|discutat|analizat|supus)\w*", 2.0),
         # ``… au convocat şedinţa extraordinară … pe data de 26 iulie 2007``: a sitting called for a day
         (r"\b(?:a|au)\s+(?:fost\s+)?convocat\w*\s+sedint\w*[^.\n]{0,120}?\b(?:pe|in|la)\s+data\s+de\b", 2.0),
         # an appeal to the town's people: ``Stimați Orheieni!``, ``Dragi cetățeni,``
         (r"(?:^|\n)[ \t]*(?:stimati|dragi)\s+(?:cetateni|locuitori|consateni|[a-z]+(?:eni|ani))\b", 2.0),
         # a utility's notice: ``Program de furnizare a apei``, ``întreruperea furnizării energiei electrice``
         # (``sistarea de către SRL „Chișinău-Gaz” a livrării gazelor naturale``: the supplier may be named between)
         (r"\b(?:intrerupere\w*|sistare\w*|oprire\w*|program(?:ul)?)\s+(?:de\s+catre\s+[^.,;\n]{1,40}?\s+)?(?:a\s+|de\s+)?"
          r"(?:furnizar\w*|alimentar\w*|distributi\w*|livrar\w*)\s+(?:a\s+|cu\s+)?(?:apei|apa|energiei|gazelor|gaze)\b", 2.0),
         # or told as what will happen: ``se va sista furnizarea apei potabile``, ``SE ÎNTRERUPE ALIMENTAREA CU
         # APĂ``, ``Serviciul de alimentare cu apă va fi oprit``
         (r"\b(?:se\s+(?:va\s+)?(?:intrerupe|sista|sisteaza|opri|opreste)|(?:va|vor)\s+fi\s+(?:intrerupt|sistat|oprit)\w*)"
          r"\s+(?:temporar\s+)?(?:(?:furnizarea|alimentarea|distributia)\s+(?:a\s+|cu\s+)?)?(?:apei|apa|energiei|gazelor|gaze)\b"
          r"|\b(?:furnizar|alimentar|distributi)\w*\s+(?:a\s+|cu\s+)?(?:apei|apa|energiei|gazelor|gaze)\b[^.\n]{0,40}?"
          r"\b(?:va|vor)\s+fi\s+(?:intrerupt|sistat|oprit)\w*", 2.0),
         # ``În atenția părinților și elevilor!``: the public addressed, with an exclamation mark
         (r"(?:^|\n)[ \t]*in\s+atentia\b[^\n!]{0,100}!", 2.0),
         # or a whole group addressed at the top: ``În atenția tuturor distribuitorilor …``, ``În atenția persoanelor interesate``
         (r"^\W*in\s+atentia\s+(?:tuturor|persoanelor|parintilor|elevilor|studentilor|cetatenilor|candidatilor"
          r"|contribuabililor|operatorilor|agentilor|proprietarilor|locuitorilor|utilizatorilor|beneficiarilor"
          r"|autoritatilor|primarilor|primariilor|institutiilor|unitatilor|conducatorilor|angajatorilor|producatorilor)\b", 2.0),
         # posts to be filled: ``selecția privind ocuparea a 12 posturi``, ``ocuparea unui post vacant``
         (r"\bocupar(?:ea|ii)\s+a\s+\d+\s+posturi\b", 2.0), (r"\bocupar(?:ea|ii)\s+(?:unui\s+post|unor\s+posturi)\b", 0.5),
         # an invitation (to a public debate, to a launch, a convocation sent round) is a notice
         (r"\bva\s+invitam\b", 2.0), (r"\bsunteti\s+(?:invitat|invitati|convocat)", 2.0), (r"\binvitam\b", 1.0)),
    ),
    DocumentType(
        "raport",
        r"raport(?:ul)?|dare(?:a)?\s+de\s+seama"  # a mayor's ``Darea de seamă`` on the year
        # an authority's account of its year: ``EVALUAREA ACTIVITĂȚILOR DESFĂȘURATE ÎN ANUL 2013 DE …``,
        # ``Bilanțul activității Inspectoratului …``, ``Analiza activității Poliției Locale …``
        r"|(?:evaluarea|bilantul|analiza)\s+activitat(?:ii|ilor)(?:\s+desfasurate)?(?:\s+in\s+(?:anul|perioada)\b)?"
        r"|situatii(?:le)?\s+financiare(?:\s+anuale)?",  # an entity's year in figures: ``SITUAȚIILE FINANCIARE pentru perioada …``
        ((r"\bprezentul\s+raport\b", 3.0), (r"\bperioada\s+de\s+raportare\b", 1.5),
         # a report read to a council or to the villagers: ``Vă prezint Raportul cu privire la …``
         (r"\b(?:va\s+)?prezint\s+(?:raportul|darea\s+de\s+seama)\b", 3.0)),
    ),
    DocumentType("minută", r"minuta", ((r"\bprezenta\s+minuta\b", 3.0),)),
    DocumentType(
        "contract",
        # agreements between authorities: ``ACORD DE COOPERARE între Municipiul … și Orașul …``
        # and protocols, memoranda (``Protocol de cooperare între …``, ``MEMORANDUM DE INTENȚII``), an ``ACORD`` alone on its line
        r"contract(?:ul)?|acord(?:ul)?[\s-]*cadru|acord(?:ul)?\s+de\s+(?:parteneriat|cooperare|colaborare|asociere|infratire)"
        r"|protocol(?:ul)?\s+de\s+(?:cooperare|colaborare|parteneriat|intelegere|infratire)"
        r"|memorandum(?:ul)?(?:\s+de\s+(?:intelegere|intentii|cooperare|colaborare))?|acord(?:ul)?(?=[ \t]*$)",
        ((r"\bprezentul\s+contract\b", 3.0), (r"\bpartile\s+contractante\b", 2.0),
         (r"\b(?:prezentul|acest)\s+(?:acord|memorandum|protocol)\b", 3.0)),
    ),
    DocumentType(
        "referat",
        r"referat(?:ul)?",
        ((r"\bprezentul\s+referat\b", 3.0),
         # the initiator's grounds for a draft: ``prin prezentul demers inițiem Proiectul de hotărâre``
         (r"\b(?:initiem|propunem\s+(?:spre\s+)?aprobarea|supunem\s+(?:spre\s+)?(?:aprobarea|aprobarii|dezbaterea|dezbaterii))"
          r"(?:\s+consiliului\s+local)?\s+(?:a\s+)?proiectul(?:ui)?\s+de\s+(?:hotar[ai]re|dispozitie|decizie)\b", 3.0)),
    ),
    DocumentType("expunere de motive", r"expunere(?:a)?\s+de\s+motive", ()),
    DocumentType("caiet de sarcini", r"caiet(?:ul)?\s+de\s+sarcini", ((r"\bprezentul\s+caiet\s+de\s+sarcini\b", 3.0),)),
    # a procurement's documentation (``DOCUMENTAȚIA STANDARD``, ``Documentația de atribuire``)
    DocumentType("documentație", r"documentati[ae](?:\s+(?:standard|de\s+atribuire))?", ()),
    DocumentType("regulament", r"regulament(?:ul)?", ((r"\bprezentul\s+regulament\b", 3.0),)),
    # the statute of a territorial unit, an association or an institution (``STATUTUL UNITĂȚII …``)
    DocumentType("statut", r"statut(?:ul)?", ((r"\bprezentul\s+statut\b", 3.0),)),
    DocumentType(
        "adresă",
        # a letter, also an open one: ``Adresa nr. …``, ``SCRISOARE DESCHISĂ``, ``Scrisoare către …``
        r"adresa(?=\s*(?:nr\b|nr\.|$))|scrisoare(?:a)?\s+deschisa|scrisoare(?:a)?(?=\s*(?:nr\b|nr\.|catre\b|$))",
        ((r"\bca\s+urmare\s+a\s+adresei\s+(?:dumneavoastra|dvs)", 2.0),
         (r"\bva\s+(?:trimitem|transmitem|inaintam|comunicam)\s*,?\s+(?:alaturat|anexat)", 2.0),
         # not the public at large, whom a notice tells: ``În atenția cetățenilor …`` / ``Către: Cetățenii din comuna …``
         (r"\bcu\s+(?:deosebita\s+)?consideratie\b", 1.0), (rf"\bin\s+atentia\b{_NOT_PUBLIC}", 1.0), (r"\bva\s+rugam\s+sa\b", 1.0),
         # a letter's salutation, its addressee block, its opening and closing formulas
         (r"\bstimat[aei]?\s+(?:domnule|doamna|domnilor|doamnelor)\b", 2.0),
         (r"(?:^|\n)[ \t]*excelenta[ \t]*[,!][ \t]*(?:\n|$)", 2.0),  # a letter to a head of state: ``EXCELENȚĂ,``
         (rf"(?:^|\n)[ \t]*catre[ \t]*[,:]?[ \t]*(?:\n|$){_NOT_PUBLIC}", 1.5), (rf"\bcatre[ \t]*:{_NOT_PUBLIC}", 1.5),
         (r"\bam\s+onoarea\s+(?:sa|de\s+a)\b", 2.0),
         (r"\bprin\s+prezenta\s*,", 1.0), (r"\bva\s+transmitem\b", 1.0), (r"\bcu\s+respect\b", 1.0),
         # the letter naming itself: ``document pe care îl anexăm prezentei adrese``
         (r"\bprezent(?:a|ei)\s+adres(?:a|e)\b", 3.0)),
    ),
    DocumentType("notificare", r"notificare(?:a)?", ()),
    # a request to an authority, a form's too: ``Subsemnatul(a) …, cu domiciliul în …, vă rog să binevoiți …``
    DocumentType("cerere", r"cerere(?:a)?",
                 ((r"\bsubsemnat(?:ul|a)?\b(?:\s*\(\s*a\s*\))?[^;]{0,400}?"
                   r"\b(?:va\s+rog\s+(?:sa|a)|formulez\s+(?:o\s+)?(?:cerere|solicitare|petitie))\b", 3.0),)),
    DocumentType("autorizație", r"autorizati[ae]", ()),
    DocumentType("certificat", r"certificat(?:ul)?", ()),
    # an honour an authority awards: ``Diploma de Excelență`` (not a school's diploma a notice asks for)
    DocumentType("diplomă", r"diplom[ae]\s+de\s+(?:excelent[ae]|onoare|merit)", ()),
    DocumentType("adeverință", r"adeverint[ae]", ()),
    DocumentType("declarație", r"declarati[ae]", ()),
    DocumentType("aviz", r"aviz(?:ul)?", ()),
    DocumentType("formular", r"formular(?:ul)?", ()),
    DocumentType("normă", r"norm[ae](?:\s+metodologice)?", ((r"\bprezentele\s+norme\b", 3.0),)),
    DocumentType("metodologie", r"metodologi[ae]", ((r"\bprezenta\s+metodologie\b", 3.0),)),
    # ``PROCEDURĂ privind …``, ``Procedura operațională …``; not ``Procedura de atribuire: …`` of a notice
    DocumentType("procedură", r"procedur(?:a|ii)(?:\s+documentata)?(?=\s*$|\s+(?:operationala|privind|pentru|nr\b|de\s+lucru|de\s+sistem))",
                 ((r"\bprezenta\s+procedura\b", 3.0),)),
    DocumentType("instrucțiune", r"instructiun(?:e|i|ea)", ((r"\bprezenta\s+instructiune\b", 3.0),)),
    DocumentType("ghid", r"ghid(?:ul)?", ((r"\bprezentul\s+ghid\b", 3.0),)),
    DocumentType("strategie", r"strategi[ae]", ((r"\bprezenta\s+strategie\b", 3.0),)),
    # an institution's plan: ``PLAN STRATEGIC DE DEZVOLTARE``, ``Planul anual de acțiune``, ``Planul de achiziții publice``
    DocumentType(
        "plan",
        r"plan(?:ul)?(?:\s+anual)?\s+(?:strategic|managerial|operational|achizitiilor"
        r"|de\s+(?:dezvoltare|actiune|actiuni|masuri|management|achizitii|activitate|activitati))",
        ((r"\bprezentul\s+plan\b", 3.0),),
    ),
    # papers that set something out rather than decide or tell it: ``ORGANIGRAMA``, ``CALENDARUL ADMITERII``,
    # ``FIȘA postului`` (a list is not one of them: a list of candidates admitted is a notice)
    DocumentType("organigramă", r"organigram(?:a|ei)", ()),
    DocumentType("calendar", r"calendar(?:ul)?(?=[ \t]+[^\W\d_])", ()),  # not ``Calendar`` alone, a notice's section
    DocumentType("fișă", r"fis(?:a|ei)(?=\s+(?:postului|de|individual|tehnic|proiect))", ()),
    DocumentType("anexă", r"anex[ae]", ()),
)

#: The formula that opens the operative part of an act, alone on its line
#: (``HOTĂRĂȘTE:``, ``D I S P U N E :``, ``Guvernul României hotărăște:``): the
#: surest sign of the act's type when its heading cannot be read.
OPERATIVE_FORMULAS: tuple[tuple[str, str], ...] = (
    (r"hotaraste", "hotărâre"),
    (r"dispune", "dispoziție"),
    (r"decide", "decizie"),
    (r"emite\s+(?:prezentul|urmatorul)\s+ordin", "ordin"),
    # a Moldovan minister's and mayor's formulas: ``ORDON:``, ``DISPUN:``
    (r"ordon", "ordin"),
    (r"dispun", "dispoziție"),
)

#: The type of a document that none of DOCUMENT_TYPES fits.
OTHER = "altul"

#: Acts cited by number, by kind: the forms in which they are cited (folded,
#: any case). Longer forms first within a kind; kinds are tried in this order.
ACT_KINDS: tuple[tuple[str, str], ...] = (
    ("ordonanță de urgență", r"ordonant(?:a|ei|ele|elor)\s+de\s+urgenta(?:\s+a\s+guvernului(?:\s+romaniei)?)?"
                             r"|o\.\s?u\.\s?g\.?|oug"),
    ("ordonanță", r"ordonant(?:a|ei|ele|elor)(?:\s+guvernului(?:\s+romaniei)?)?|o\.\s?g\.?|og"),
    ("hcl", r"(?:h\.\s?c\.\s?l\.\s?s\.?|hcls)(?:\s?[1-6](?![\d/.]))?|h\.\s?c\.\s?l\.?|hcl|h\.\s?c\.\s?j\.?|hcj"
            r"|hotar[ai]r(?:ea|ii|ile|ilor)\s+consiliului\s+(?:local|judetean)"),
    ("hotărâre", r"hotar[ai]r(?:ea|ii|ile|ilor|e)(?:\s+(?:a\s+)?guvernului(?:\s+romaniei)?)?|h\.\s?g\.?|hg"),
    ("lege", r"leg(?:ea|ii|ile|ilor|e)"),
    ("ordin", r"ordin(?:ul|ului|ele|elor)?"),
    ("decizie", r"decizi(?:a|ei|ile|ilor|e)"),
    ("dispoziție", r"dispoziti(?:a|ei|ile|ilor|e)(?:\s+primarului)?"),
    ("decret", r"decret(?:ul|ului)?"),
    ("directivă", r"directiv(?:a|ei|ele|elor)"),
    ("regulament", r"regulament(?:ul|ului)?(?:\s+(?:\(ue\)|\(ce\)|delegat\s+\(ue\)|de\s+punere\s+in\s+aplicare\s+\(ue\)))?"),
    ("monitorul oficial", r"monitorul(?:ui)?\s+oficial(?:\s+al\s+romaniei)?(?:,?\s+partea\s+i{1,3})?|m\.\s?of\."),
)

#: Roles under which people sign or are named, folded; longer first.
ROLES: tuple[str, ...] = (
    "presedinte de sedinta", "presedintele de sedinta", "secretar general", "secretarul general",
    "secretar general al unitatii administrativ-teritoriale", "responsabili proiect", "responsabil proiect",
    "manager de proiect", "managerul proiectului", "coordonator proiect", "viceprimar", "primar", "primarul",
    "prefect", "subprefect", "director executiv", "director general", "director economic", "director",
    "sef serviciu", "sef birou", "consilier juridic", "consilier local", "consilier", "consilierul",
    "contrasemneaza", "intocmit", "verificat", "avizat", "aprobat", "secretar", "presedinte",
    "prim-ministru", "ministru", "inspector",
)
