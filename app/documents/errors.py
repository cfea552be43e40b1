"""What the documents domain refuses: drafts, the filing bundle, templates, attestations."""

from app.errors import AppError, Conflict, NotFound, UnprocessableEntity


class DocumentNotFound(NotFound):
    slug = "document-not-found"
    title = "Document not found"


class TemplateRejected(UnprocessableEntity):
    slug = "template-rejected"
    title = "The template does not render"


class TemplateTooLarge(AppError):
    status = 413
    slug = "payload-too-large"
    title = "The template is larger than allowed"


class IdentityIncomplete(Conflict):
    slug = "identity-incomplete"
    title = "The petition must state the applicant's domicile"


class UrgencyNotEstablished(Conflict):
    slug = "urgency-not-established"
    title = "A first request needs a dated fact showing urgency"


class PrefectureEmailMissing(Conflict):
    slug = "prefecture-email-missing"
    title = "No e-mail address for the préfecture's foreigners' service"


class PetitionMissing(Conflict):
    slug = "petition-missing"
    title = "Generate the petition before the filing bundle"


class StalePetition(Conflict):
    slug = "stale-petition"
    title = "The exhibits changed since the petition was drafted"


class ExhibitNotFileable(Conflict):
    slug = "unfileable-exhibit"
    title = "An exhibit cannot be converted to PDF for filing"


class ChainDamaged(Conflict):
    slug = "evidence-chain-damaged"
    title = "The evidence chain does not verify: no attestation can be issued"


class NoCaptures(Conflict):
    slug = "no-captures"
    title = "The file has no screenshot to attest"
