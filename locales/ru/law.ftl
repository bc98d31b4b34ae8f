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

ground-qualification-mismatch = квалификация или образование не соответствуют требованиям востребованной профессии
ground-below-pass-mark = результат оценки ниже шести баллов
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

cert-state-valid = действует
cert-state-superseded = переоформлена с новым номером
cert-state-revoked = отозвана
cert-state-expired = срок действия истёк
cert-command-kind-revoke = отзыв справки
cert-command-kind-notify-new-employer = уведомление о новом работодателе
cert-command-kind-notify-contract-end = уведомление о прекращении трудового договора

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
