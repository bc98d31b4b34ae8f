# The law's words: names of states, services, documents, roles, fields and grounds, and the
# messages of refusals. Rendered by rules::speech; the keys are the same in kk, ru and en.

role-applicant = applicant
role-officer = akimat officer
role-commission = Commission
role-reviewer = complaint-reviewing body
role-administrator = administrator
role-operator = 1411 contact centre
role-system = qualcert

service-kind-issue = issue
service-kind-extend = extension
service-kind-reissue = re-issue
service-kind-duplicate = duplicate

state-submitted = submitted
state-registered = registered
state-with-commission = with the Commission
state-decided = decided by the Commission
state-completed = completed
state-refused = refused
state-not-accepted = not accepted
state-closed = closed: the certificate is no longer in force
status-issued = certificate issued
status-extended = certificate extended
status-reissued = certificate re-issued
status-duplicated = duplicate issued
step-registration = The akimat registers your application
step-forwarding = The akimat sends your documents to its Commission, which scores them
step-result = You receive the certificate or a reasoned refusal in your cabinet

ground-qualification-mismatch = the qualification or education does not meet the requirements of the in-demand profession
ground-unreliable-documents = the documents or the data in them are unreliable

command-kind-register = register
command-kind-not-accept = not accept
command-kind-forward = forward to the Commission
command-kind-record-decision = record the Commission's decision
command-kind-issue = issue the certificate
command-kind-extend = extend
command-kind-reissue = re-issue
command-kind-issue-duplicate = issue a duplicate
command-kind-refuse = refuse
command-kind-close = close

cert-state-valid = valid
cert-state-superseded = re-issued under a new number
cert-state-revoked = revoked
cert-state-expired = expired
cert-command-kind-revoke = revoke
cert-command-kind-notify-new-employer = notice of a new employer
cert-command-kind-notify-contract-end = notice of the end of the contract
cert-command-kind-remind = reminder of a window
cert-command-kind-record-missed-window = record of a missed window

reviewing-body-quality-authority = the authorised body for the assessment and control of the quality of public services
reviewing-body-higher-body = the higher administrative body
reviewing-body-official = the official

complaint-state-awaiting-forwarding = awaiting forwarding
complaint-state-under-akimat-review = under review by the akimat
complaint-state-under-review = under review by the reviewing body
complaint-state-satisfied = satisfied by the akimat
complaint-state-resolved = decided
complaint-command-kind-forward = forward the complaint
complaint-command-kind-satisfy = satisfy the complaint in full
complaint-command-kind-decide = decide the complaint

document-kind-identity-document = electronic copy of the identity document
document-kind-education-translation = notarised translation of the recognised or nostrified education documents
document-kind-english-teaching-certificate = notarised translation of the certificate for teaching English
document-kind-labour-activity-record = notarised copy of the labour-activity document with its translation into Kazakh or Russian
document-kind-previous-certificate = the certificate issued earlier
document-kind-employment-contract = copy of the employment contract
document-kind-changed-identity-document = copy of the identity document showing the changed name or number and series
document-kind-power-of-attorney = the power of attorney of the person filing for the applicant

field-akimat = akimat
field-surname = surname
field-given-name = given name
field-document-number = identity document number
field-event-date = the day of the change, loss or damage
field-profession = profession
field-sector = sector
field-employer = employer (name and BIN or IIN)
field-contract-end = the employment contract's end date
field-certificate = certificate number
field-number = the new certificate's number
field-minutes = minutes number
field-missing = missing documents
field-expired = expired documents
field-complaint-text = the complaint
field-action = the decision or action that satisfies the complaint

law-data-rule-set = rule set
law-data-criteria = table of assessment criteria
law-data-catalogue = list of priority sectors and in-demand professions

proceeding-complaint-to-akimat = complaint addressed to the akimat
ground-below-the-pass-mark = the assessment result is below the pass mark
ground-below-pass-mark = the assessment result is below { $points } { $points ->
        [one] point
       *[other] points
    }
word-or = { " " }or{ " " }
word-due = due
recommended-issue = issue
recommended-refuse = refuse
akimat-body = the akimat of { $akimat }
akimat-of-body = of the akimat of { $akimat }

problem-required = { $field }: required
problem-required-or-open-ended = { $field }: give it, or say the contract has none
problem-no-such-akimat = { $field }: no such akimat
problem-in-the-future = { $field }: is in the future
problem-not-from-list = { $field }: choose the profession and sector from the list
problem-other-sector = { $field }: the profession is listed under another sector
problem-ends-within-validity = { $field }: the contract ends no later than the current validity, so there is nothing to extend
problem-new-number-needed = { $field }: a re-issued certificate gets a new number
problem-not-on-checklist = { $field }: “{ $document }” is not on this service's list

reason-not-at-this-stage = “{ $command }” is not possible while the case is “{ $state }”
reason-not-for-this-service = “{ $command }” is not part of the { $service } service
reason-finished = the case is finished ({ $state }); nothing more can be done on it
reason-wrong-role = this is done by the { $needed }, not the { $actual }
reason-other-akimat = the case belongs to another akimat: { $akimat-body }
reason-not-the-holder = the certificate was issued to another person
reason-no-consent = consent to the collection and processing of personal data is required
reason-profession-not-listed = the profession { $code } is not on the list in force on { $date }
reason-case-not-the-complainants = case { $number } is not one of your cases
reason-certificate-unknown = no certificate { $number } is known
reason-certificate-not-valid = certificate { $number } is not valid ({ $status })
reason-no-quorum = { $present } of { $members } members present; at least { $needed } { $needed ->
        [one] is
       *[other] are
    } needed
reason-not-a-member = { $who } is not a member of the Commission
reason-assessment-incomplete = the assessment is incomplete: no answer to { $questions }
reason-assessment-invalid = the assessment is invalid: the answer to «{ $question }» does not fit its scale
reason-assessment-invalid-no-criterion = the assessment is invalid: an answer names no criterion of the table in force
reason-below-pass-mark = the assessment gives { $total } { $total ->
        [one] point
       *[other] points
    }, below the { $pass-mark } needed: issue cannot be recommended
reason-pass-mark-reached = the assessment gives { $total } { $total ->
        [one] point
       *[other] points
    }, reaching the { $pass-mark } needed: “below { $pass-mark } points” is not a ground
reason-no-grounds = a refusal must name at least one ground
reason-no-reasoning = a refusal must give its reasons
reason-no-recommendation = the Commission must recommend issuing or refusing
reason-ground-not-for-service = the ground “{ $ground }” does not apply to this service
reason-against-recommendation = the result must follow the Commission's recommendation ({ $recommended })
reason-validity-too-long = valid to { $requested } is too long: the latest allowed is { $latest }
reason-validity-before-start = valid to { $requested } is before the start { $start }
reason-number-mismatch = the number { $number } does not belong to this akimat and year
reason-no-not-accept-reason = name the missing or expired documents: only they allow not accepting an application
reason-certificate-still-in-force = certificate { $number } is still in force: a case is closed only when its certificate was revoked or replaced while it ran
reason-document-not-expired = the { $document } is recorded as valid until { $date }, after the day it was submitted: only an expired document allows not accepting for it
reason-ground-not-recommended = the Commission did not recommend refusing on the ground “{ $ground }”: the akimat decides on its recommendation
reason-satisfaction-window-passed = the { $days } working { $days ->
        [one] day
       *[other] days
    } to satisfy the complaint ended on { $due }: it must be forwarded
reason-no-control-act = revocation needs the act of the control body
reason-window-closed = a reminder is given only while its window is open; it closed on { $due }
reason-window-still-open = the window is open until { $due }: it can be recorded as missed only after it closes
reason-calendar-data = the working-day calendar has no data for { $year }
reason-no-rules-in-force = no { $what } is in force on { $date }

cert-status-active = active, valid to { $to }
cert-status-extended = extended, valid to { $to }
cert-status-superseded = superseded on { $on } by { $by }
cert-status-revoked = revoked on { $on } under act { $act } of { $body }
cert-status-expired = expired after { $on }

basis-decision = Decision of the Commission, minutes No. { $minutes } of { $on }
basis-reissue = Re-issue of { $of } ({ $citation }), case { $case }

document-expired = { $document } expired on { $until }

received-working-hours = filed { $local }, within working hours { $start }–{ $end }: received that day
received-before-opening = filed { $local }, before opening at { $start } on a working day: received that day
received-after-closing = filed { $local }, after the working day ended at { $end }: received on the next working day
received-day-off = filed { $local }, on a day off ({ $why }): received on the next working day

day-weekend = weekly day off
day-holiday-moved = , falls on a weekend: the day off moves to { $to }
day-holiday-provisional = { " " }(date provisional, not yet announced)
day-moved-day-off = day off moved from { $from } ({ $names }), which fell on a weekend
day-transferred-day-off = day off transferred from { $from }
day-transferred-day-off-by-order = day off by transfer order
day-transferred-working-day = working day: its day off is transferred to { $to }
day-transferred-working-day-by-order = working day by transfer order

years-count = { $n } { $n ->
        [one] year
       *[other] years
    }
