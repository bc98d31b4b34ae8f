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

ground-qualification-mismatch = the qualification or education does not meet the requirements of the in-demand profession
ground-below-pass-mark = the assessment result is below six points
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

cert-state-valid = valid
cert-state-superseded = re-issued under a new number
cert-state-revoked = revoked
cert-state-expired = expired
cert-command-kind-revoke = revoke
cert-command-kind-notify-new-employer = notice of a new employer
cert-command-kind-notify-contract-end = notice of the end of the contract

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
