# Слова закона: названия этапов, услуг, документов, ролей, полей и оснований, тексты отказов.

role-applicant = услугополучатель
role-officer = сотрудник акимата
role-commission = Комиссия
role-reviewer = орган, рассматривающий жалобу
role-administrator = администратор
role-operator = контакт-центр 1411
role-system = информационная система

service-kind-issue = выдача
service-kind-extend = продление
service-kind-reissue = переоформление
service-kind-duplicate = дубликат

state-submitted = подано
state-registered = зарегистрировано
state-with-commission = на рассмотрении Комиссии
state-decided = решение Комиссии принято
state-completed = исполнено
state-refused = отказано
state-not-accepted = не принято
state-closed = закрыто: справка больше не действует
status-issued = справка выдана
status-extended = справка продлена
status-reissued = справка переоформлена
status-duplicated = дубликат выдан
step-registration = Акимат регистрирует ваше заявление
step-forwarding = Акимат направляет ваши документы в свою Комиссию для оценки
step-result = Вы получаете справку или мотивированный отказ в личном кабинете

ground-qualification-mismatch = квалификация или образование не соответствуют требованиям востребованной профессии
ground-unreliable-documents = документы или сведения в них недостоверны

command-kind-register = регистрация
command-kind-not-accept = отказ в приёме заявления
command-kind-forward = направление в Комиссию
command-kind-record-decision = запись решения Комиссии
command-kind-issue = выдача справки
command-kind-extend = продление
command-kind-reissue = переоформление
command-kind-issue-duplicate = выдача дубликата
command-kind-refuse = отказ в оказании услуги
command-kind-close = закрыть

cert-state-valid = действует
cert-state-superseded = переоформлена с новым номером
cert-state-revoked = отозвана
cert-state-expired = срок действия истёк
cert-command-kind-revoke = отзыв справки
cert-command-kind-notify-new-employer = уведомление о новом работодателе
cert-command-kind-notify-contract-end = уведомление о прекращении трудового договора
cert-command-kind-remind = напоминание о сроке
cert-command-kind-record-missed-window = фиксация пропущенного срока

reviewing-body-quality-authority = уполномоченный орган по оценке и контролю за качеством оказания государственных услуг
reviewing-body-higher-body = вышестоящий административный орган
reviewing-body-official = должностное лицо

complaint-state-awaiting-forwarding = ожидает направления
complaint-state-under-akimat-review = рассматривается акиматом
complaint-state-under-review = рассматривается органом по жалобам
complaint-state-satisfied = удовлетворена акиматом
complaint-state-resolved = рассмотрена
complaint-command-kind-forward = направление жалобы
complaint-command-kind-satisfy = полное удовлетворение жалобы
complaint-command-kind-decide = решение по жалобе

document-kind-identity-document = электронная копия документа, удостоверяющего личность
document-kind-education-translation = нотариально засвидетельствованный перевод признанных или нострифицированных документов об образовании
document-kind-english-teaching-certificate = нотариально засвидетельствованный перевод сертификата на преподавание английского языка
document-kind-labour-activity-record = нотариально засвидетельствованная копия документа о трудовой деятельности с переводом
document-kind-previous-certificate = ранее выданная справка
document-kind-employment-contract = копия трудового договора
document-kind-power-of-attorney = доверенность лица, подающего заявление за услугополучателя
document-kind-changed-identity-document = копия документа, удостоверяющего личность, с изменёнными данными

field-akimat = акимат
field-surname = фамилия
field-given-name = имя
field-document-number = номер документа, удостоверяющего личность
field-event-date = дата изменения, утери или порчи
field-profession = профессия
field-sector = отрасль
field-employer = работодатель (наименование и БИН или ИИН)
field-contract-end = дата окончания трудового договора
field-certificate = номер справки
field-number = номер новой справки
field-minutes = номер протокола
field-missing = недостающие документы
field-expired = просроченные документы
field-complaint-text = текст жалобы
field-action = решение или действие, удовлетворяющее жалобу

law-data-rule-set = свод сроков и параметров Правил
law-data-criteria = таблица критериев оценки
law-data-catalogue = перечень приоритетных отраслей и востребованных профессий

proceeding-complaint-to-akimat = жалоба, поданная в акимат
ground-below-the-pass-mark = результат оценки ниже проходного балла
ground-below-pass-mark = результат оценки ниже { $points } { $points ->
        [one] балла
       *[other] баллов
    }
word-or = { " " }или{ " " }
word-due = срок
recommended-issue = выдать справку
recommended-refuse = отказать
akimat-body = акимат { $akimat-of }
akimat-of-body = акимата { $akimat-of }

problem-required = { $field }: обязательно для заполнения
problem-required-or-open-ended = { $field }: укажите её или отметьте, что договор заключён без срока окончания
problem-no-such-akimat = { $field }: такого акимата нет
problem-in-the-future = { $field }: эта дата ещё не наступила
problem-not-from-list = { $field }: выберите профессию и отрасль из перечня
problem-other-sector = { $field }: профессия отнесена в перечне к другой отрасли
problem-ends-within-validity = { $field }: договор заканчивается не позже действующего срока справки, продлевать нечего
problem-new-number-needed = { $field }: переоформленной справке присваивается новый номер
problem-not-on-checklist = { $field }: «{ $document }» нет в перечне документов этой услуги

reason-not-at-this-stage = действие «{ $command }» невозможно на этапе «{ $state }»
reason-not-for-this-service = действие «{ $command }» не относится к услуге «{ $service }»
reason-finished = дело завершено ({ $state }); дальнейшие действия невозможны
reason-wrong-role = это делает { $needed }, а не { $actual }
reason-other-akimat = дело относится к другому акимату: { $akimat-body }
reason-not-the-holder = справка выдана другому лицу
reason-no-consent = требуется согласие на сбор и обработку персональных данных
reason-profession-not-listed = профессия { $code } отсутствует в перечне, действующем на { $date }
reason-case-not-the-complainants = дело { $number } не относится к вашим делам
reason-certificate-unknown = справка { $number } не найдена
reason-certificate-not-valid = справка { $number } не действует ({ $status })
reason-no-quorum = { $present ->
        [one] присутствует
       *[other] присутствуют
    } { $present } из { $members } { $members ->
        [one] члена
       *[other] членов
    }; нужно не менее { $needed }
reason-not-a-member = { $who } не является членом Комиссии
reason-assessment-incomplete = оценка не завершена: нет ответа на вопросы { $questions }
reason-assessment-invalid = оценка неверна: ответ на вопрос «{ $question }» не соответствует шкале
reason-assessment-invalid-no-criterion = оценка неверна: ответ относится к критерию, которого нет в действующей таблице
reason-below-pass-mark = по оценке { $total } { $total ->
        [one] балл
        [few] балла
       *[other] баллов
    }, меньше необходимых { $pass-mark }: выдача невозможна
reason-pass-mark-reached = по оценке { $total } { $total ->
        [one] балл
        [few] балла
       *[other] баллов
    }, не меньше { $pass-mark }: основание «ниже { $pass-mark } { $pass-mark ->
        [one] балла
       *[other] баллов
    }» неприменимо
reason-no-grounds = отказ должен содержать хотя бы одно основание
reason-no-reasoning = отказ должен быть мотивированным
reason-no-recommendation = Комиссия должна рекомендовать выдать справку или отказать
reason-ground-not-for-service = основание «{ $ground }» не применяется к этой услуге
reason-against-recommendation = результат должен соответствовать рекомендации Комиссии ({ $recommended })
reason-validity-too-long = срок до { $requested } превышает допустимый: не позднее { $latest }
reason-validity-before-start = срок до { $requested } раньше начала { $start }
reason-number-mismatch = номер { $number } не принадлежит этому акимату и году
reason-no-not-accept-reason = укажите недостающие или просроченные документы: только они позволяют не принять заявление
reason-certificate-still-in-force = справка { $number } ещё действует: заявление закрывается, только если справка отозвана или переоформлена, пока оно рассматривалось
reason-document-not-expired = документ «{ $document }» действителен до { $date }, то есть на день подачи не просрочен: не принять заявление можно только из-за просроченного документа
reason-ground-not-recommended = Комиссия не рекомендовала отказ по основанию «{ $ground }»: акимат решает по её рекомендации
reason-satisfaction-window-passed = { $days } { $days ->
        [one] рабочий день
        [few] рабочих дня
       *[other] рабочих дней
    } на удовлетворение жалобы { $days ->
        [one] истёк
       *[other] истекли
    } { $due }: её нужно направить
reason-no-control-act = для отзыва нужен акт контролирующего органа
reason-window-closed = напоминание направляется только пока срок не истёк; он истёк { $due }
reason-window-still-open = срок действует до { $due }: его пропуск фиксируется только после его истечения
reason-calendar-data = в производственном календаре нет данных за { $year } год
reason-no-rules-in-force = на { $date } не действует { $what }

cert-status-active = действует до { $to }
cert-status-extended = продлена до { $to }
cert-status-superseded = переоформлена { $on }, новый номер { $by }
cert-status-revoked = отозвана { $on } на основании акта { $act } ({ $body })
cert-status-expired = срок действия истёк { $on }

basis-decision = Решение Комиссии, протокол № { $minutes } от { $on }
basis-reissue = Переоформление справки № { $of } ({ $citation }), заявление { $case }

document-expired = { $document }: срок действия истёк { $until }

received-working-hours = подано { $local }, в рабочее время { $start }–{ $end }: принято в тот же день
received-before-opening = подано { $local }, до начала рабочего дня в { $start }: принято в тот же день
received-after-closing = подано { $local }, после окончания рабочего дня в { $end }: принято на следующий рабочий день
received-day-off = подано { $local }, в нерабочий день ({ $why }): принято на следующий рабочий день

day-weekend = выходной день
day-holiday-moved = , выпадает на выходной: день отдыха переносится на { $to }
day-holiday-provisional = { " " }(дата предварительная, ещё не объявлена)
day-moved-day-off = день отдыха перенесён с { $from } ({ $names }), выпавшего на выходной
day-transferred-day-off = день отдыха перенесён с { $from }
day-transferred-day-off-by-order = день отдыха по приказу о переносе
day-transferred-working-day = рабочий день: день отдыха перенесён на { $to }
day-transferred-working-day-by-order = рабочий день по приказу о переносе

years-count = { $n } { $n ->
        [one] год
        [few] года
       *[other] лет
    }
