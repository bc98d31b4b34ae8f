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

ground-qualification-mismatch = біліктілігі немесе білімі сұранысқа ие кәсіптің талаптарына сәйкес емес
ground-below-pass-mark = бағалау нәтижесі алты балдан төмен
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

cert-state-valid = жарамды
cert-state-superseded = жаңа нөмірмен қайта ресімделді
cert-state-revoked = кері қайтарып алынды
cert-state-expired = мерзімі өтті
cert-command-kind-revoke = анықтаманы кері қайтарып алу
cert-command-kind-notify-new-employer = жаңа жұмыс беруші туралы хабарлама
cert-command-kind-notify-contract-end = еңбек шартының тоқтатылғаны туралы хабарлама

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
