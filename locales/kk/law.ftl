# Заң сөздері: кезеңдердің, қызметтердің, құжаттардың, рөлдердің, өрістер мен негіздердің атаулары, бас тарту мәтіндері.

role-applicant = қызмет алушы
role-officer = әкімдік қызметкері
role-commission = Комиссия
role-reviewer = шағымды қарайтын орган
role-administrator = әкімші
role-operator = 1411 байланыс орталығы
role-system = ақпараттық жүйе

service-kind-issue = беру
service-kind-extend = ұзарту
service-kind-reissue = қайта ресімдеу
service-kind-duplicate = телнұсқа

state-submitted = берілді
state-registered = тіркелді
state-with-commission = Комиссияның қарауында
state-decided = Комиссия шешім қабылдады
state-completed = орындалды
state-refused = бас тартылды
state-not-accepted = қабылданбады
state-closed = жабылды: анықтама енді қолданыста емес
status-issued = анықтама берілді
status-extended = анықтама ұзартылды
status-reissued = анықтама қайта ресімделді
status-duplicated = телнұсқа берілді
step-registration = Әкімдік өтінішіңізді тіркейді
step-forwarding = Әкімдік құжаттарыңызды бағалау үшін өз Комиссиясына жібереді
step-result = Анықтаманы немесе дәлелді бас тартуды жеке кабинетіңізден аласыз

ground-qualification-mismatch = біліктілігі немесе білімі сұранысқа ие кәсіптің талаптарына сәйкес емес
ground-unreliable-documents = ұсынылған құжаттардың және (немесе) олардағы деректердің дәйексіздігі анықталды

command-kind-register = тіркеу
command-kind-not-accept = өтінішті қабылдамау
command-kind-forward = Комиссияға жіберу
command-kind-record-decision = Комиссия шешімін енгізу
command-kind-issue = анықтаманы беру
command-kind-extend = ұзарту
command-kind-reissue = қайта ресімдеу
command-kind-issue-duplicate = телнұсқа беру
command-kind-refuse = қызмет көрсетуден бас тарту
command-kind-close = жабу

cert-state-valid = жарамды
cert-state-superseded = жаңа нөмірмен қайта ресімделді
cert-state-revoked = кері қайтарып алынды
cert-state-expired = мерзімі өтті
cert-command-kind-revoke = анықтаманы кері қайтарып алу
cert-command-kind-notify-new-employer = жаңа жұмыс беруші туралы хабарлама
cert-command-kind-notify-contract-end = еңбек шартының тоқтатылғаны туралы хабарлама
cert-command-kind-remind = мерзім туралы еске салу
cert-command-kind-record-missed-window = өткізіп алынған мерзімді тіркеу

reviewing-body-quality-authority = мемлекеттік қызметтер көрсету сапасын бағалау және бақылау жөніндегі уәкілетті орган
reviewing-body-higher-body = жоғары тұрған әкімшілік орган
reviewing-body-official = лауазымды адам

complaint-state-awaiting-forwarding = жіберуді күтуде
complaint-state-under-akimat-review = әкімдікте қаралуда
complaint-state-under-review = шағымды қарайтын органда қаралуда
complaint-state-satisfied = әкімдік қанағаттандырды
complaint-state-resolved = қаралды
complaint-command-kind-forward = шағымды жіберу
complaint-command-kind-satisfy = шағымды толық қанағаттандыру
complaint-command-kind-decide = шағым бойынша шешім

document-kind-identity-document = жеке басты куәландыратын құжаттың электрондық көшірмесі
document-kind-education-translation = танылған немесе нострификацияланған білім туралы құжаттардың нотариат куәландырған аудармасы
document-kind-english-teaching-certificate = ағылшын тілін оқытуға арналған сертификаттың нотариат куәландырған аудармасы
document-kind-labour-activity-record = еңбек қызметін растайтын құжаттың аудармасымен нотариат куәландырған көшірмесі
document-kind-previous-certificate = бұрын берілген анықтама
document-kind-employment-contract = еңбек шартының көшірмесі
document-kind-power-of-attorney = көрсетілетін қызметті алушының атынан өтініш берген адамның сенімхаты
document-kind-changed-identity-document = өзгерген деректері бар жеке басты куәландыратын құжаттың көшірмесі

field-akimat = әкімдік
field-surname = тегі
field-given-name = аты
field-document-number = жеке басты куәландыратын құжаттың нөмірі
field-event-date = өзгеру, жоғалу немесе бүліну күні
field-profession = кәсіп
field-sector = сала
field-employer = жұмыс беруші (атауы және БСН немесе ЖСН)
field-contract-end = еңбек шартының аяқталу күні
field-certificate = анықтаманың нөмірі
field-number = жаңа анықтаманың нөмірі
field-minutes = хаттаманың нөмірі
field-missing = жетіспейтін құжаттар
field-expired = мерзімі өткен құжаттар
field-complaint-text = шағымның мәтіні
field-action = шағымды қанағаттандыратын шешім немесе әрекет

law-data-rule-set = Қағидалардың мерзімдері мен параметрлері
law-data-criteria = бағалау өлшемшарттарының кестесі
law-data-catalogue = басым салалар мен сұранысқа ие кәсіптер тізбесі

proceeding-complaint-to-akimat = әкімдікке берілген шағым
ground-below-the-pass-mark = бағалау нәтижесі өту шегінен төмен
ground-below-pass-mark = бағалау нәтижесі { $points } балдан төмен
word-or = { " " }немесе{ " " }
word-due = мерзімі
recommended-issue = анықтаманы беру
recommended-refuse = бас тарту
akimat-body = { $akimat }ның әкімдігі
akimat-of-body = { $akimat }ның әкімдігінің

problem-required = { $field }: толтыру міндетті
problem-required-or-open-ended = { $field }: оны көрсетіңіз немесе шарттың аяқталу мерзімі жоқ екенін белгілеңіз
problem-no-such-akimat = { $field }: мұндай әкімдік жоқ
problem-in-the-future = { $field }: бұл күн әлі келген жоқ
problem-not-from-list = { $field }: кәсіп пен саланы тізбеден таңдаңыз
problem-other-sector = { $field }: кәсіп тізбеде басқа салаға жатқызылған
problem-ends-within-validity = { $field }: шарт анықтаманың қолданыстағы мерзімінен кеш аяқталмайды, сондықтан ұзартатын ештеңе жоқ
problem-new-number-needed = { $field }: қайта ресімделген анықтамаға жаңа нөмір беріледі
problem-not-on-checklist = { $field }: «{ $document }» осы қызметтің құжаттар тізбесінде жоқ

reason-not-at-this-stage = «{ $command }» әрекеті «{ $state }» кезеңінде мүмкін емес
reason-not-for-this-service = «{ $command }» әрекеті «{ $service }» қызметіне жатпайды
reason-finished = іс аяқталды ({ $state }); одан әрі әрекет мүмкін емес
reason-wrong-role = мұны { $needed } жасайды, { $actual } емес
reason-other-akimat = іс басқа әкімдікке тиесілі: { $akimat-body }
reason-not-the-holder = анықтама басқа адамға берілген
reason-no-consent = дербес деректерді жинауға және өңдеуге келісім қажет
reason-profession-not-listed = { $code } кәсібі { $date } күні қолданыстағы тізбеде жоқ
reason-case-not-the-complainants = { $number } ісі сіздің істеріңізге жатпайды
reason-certificate-unknown = { $number } анықтамасы табылмады
reason-certificate-not-valid = { $number } анықтамасы жарамсыз ({ $status })
reason-no-quorum = { $members } мүшенің { $present } қатысады; кемінде { $needed } қажет
reason-not-a-member = { $who } Комиссия мүшесі емес
reason-assessment-incomplete = бағалау аяқталмаған: { $questions } сұрақтарына жауап жоқ
reason-assessment-invalid = бағалау дұрыс емес: «{ $question }» сұрағының жауабы шкалаға сәйкес емес
reason-assessment-invalid-no-criterion = бағалау дұрыс емес: жауап қолданыстағы кестеде жоқ өлшемшартқа қатысты
reason-below-pass-mark = бағалау { $total } балл берді, қажетті { $pass-mark } балдан төмен: беру мүмкін емес
reason-pass-mark-reached = бағалау { $total } балл берді, { $pass-mark } балдан кем емес: «{ $pass-mark } балдан төмен» негізі қолданылмайды
reason-no-grounds = бас тарту кемінде бір негізді көрсетуі тиіс
reason-no-reasoning = бас тарту дәлелді болуы тиіс
reason-no-recommendation = Комиссия анықтаманы беруді немесе беруден бас тартуды ұсынуы тиіс
reason-ground-not-for-service = «{ $ground }» негізі бұл қызметке қолданылмайды
reason-against-recommendation = нәтиже Комиссия ұсынымына сәйкес болуы тиіс ({ $recommended })
reason-validity-too-long = { $requested } дейінгі мерзім тым ұзақ: ең кеші { $latest }
reason-validity-before-start = { $requested } дейінгі мерзім басталу күнінен { $start } бұрын
reason-number-mismatch = { $number } нөмірі осы әкімдік пен жылға тиесілі емес
reason-no-not-accept-reason = жетіспейтін немесе мерзімі өткен құжаттарды көрсетіңіз: өтінішті тек солар үшін қабылдамауға болады
reason-certificate-still-in-force = { $number } анықтамасы әлі қолданыста: өтініш қаралып жатқанда анықтама кері қайтарылған немесе қайта ресімделген жағдайда ғана жабылады
reason-document-not-expired = «{ $document }» құжаты { $date } дейін жарамды, яғни берілген күні мерзімі өтпеген: өтінішті тек мерзімі өткен құжат үшін қабылдамауға болады
reason-ground-not-recommended = Комиссия «{ $ground }» негізі бойынша бас тартуды ұсынбаған: әкімдік оның ұсынымы бойынша шешім қабылдайды
reason-satisfaction-window-passed = шағымды қанағаттандыруға арналған { $days } жұмыс күні { $due } аяқталды: оны жіберу қажет
reason-no-control-act = кері қайтарып алу үшін бақылау органының актісі қажет
reason-window-closed = еске салу мерзім өтпей тұрып қана жіберіледі; ол { $due } өтті
reason-window-still-open = мерзім { $due } дейін жүреді: оның өткізіп алынғаны тек мерзім өткеннен кейін тіркеледі
reason-calendar-data = жұмыс күндерінің күнтізбесінде { $year } жылға деректер жоқ
reason-no-rules-in-force = { $date } күні { $what } қолданыста емес

cert-status-active = { $to } дейін жарамды
cert-status-extended = { $to } дейін ұзартылған
cert-status-superseded = { $on } қайта ресімделді, жаңа нөмірі { $by }
cert-status-revoked = { $on } кері қайтарып алынды, акт { $act } ({ $body })
cert-status-expired = мерзімі { $on } аяқталды

basis-decision = Комиссияның { $on } жылғы № { $minutes } хаттамасымен ресімделген шешімі
basis-reissue = № { $of } анықтаманы қайта ресімдеу ({ $citation }), өтініш { $case }

document-expired = { $document }: қолданылу мерзімі { $until } аяқталған

received-working-hours = { $local } берілді, жұмыс уақытында { $start }–{ $end }: сол күні қабылданды
received-before-opening = { $local } берілді, жұмыс күні { $start } басталғанға дейін: сол күні қабылданды
received-after-closing = { $local } берілді, жұмыс күні { $end } аяқталғаннан кейін: келесі жұмыс күні қабылданды
received-day-off = { $local } берілді, демалыс күні ({ $why }): келесі жұмыс күні қабылданды

day-weekend = демалыс күні
day-holiday-moved = , демалыс күніне түседі: демалыс { $to } күніне ауыстырылады
day-holiday-provisional = { " " }(күні алдын ала, әлі жарияланбаған)
day-moved-day-off = демалыс күніне түскен { $from } ({ $names }) күнінен ауыстырылған демалыс
day-transferred-day-off = демалыс { $from } күнінен ауыстырылды
day-transferred-day-off-by-order = ауыстыру туралы бұйрық бойынша демалыс
day-transferred-working-day = жұмыс күні: демалыс { $to } күніне ауыстырылды
day-transferred-working-day-by-order = ауыстыру туралы бұйрық бойынша жұмыс күні

years-count = { $n } жыл
