"""A fictitious case every template must render against before it is accepted."""

from datetime import UTC, date, datetime, timedelta

from app.documents.context.types import (
    AttemptData,
    ClientData,
    ContactData,
    ExhibitData,
    LawyerData,
    Snapshot,
    UrgencyData,
)


def sample_snapshot() -> Snapshot:
    start = datetime(2026, 3, 2, 8, 12, tzinfo=UTC)
    attempts = tuple(
        AttemptData(
            at=start + timedelta(days=2 * n, hours=6 * (n % 2)),
            outcome="no_slot",
            message="Il n'existe plus de plage horaire libre pour votre demande de rendez-vous.",
            page_url="https://www.rdv-prefecture.interieur.gouv.fr/rdvpref/reservation/demarche/1/",
            procedure_selected="Admission exceptionnelle au séjour",
            exhibit=3 + n,
        )
        for n in range(12)
    )
    return Snapshot(
        reference="CRN-2026-00001",
        client=ClientData(
            civility="madame",
            last_name="Exemple",
            first_names="Awa Marie",
            birth_date=date(1994, 5, 1),
            birth_place="Dakar (Sénégal)",
            nationality="sénégalaise",
            address="1 rue de l'Exemple, 93100 Montreuil",
            agdref="7512345678",
            entry_date=date(2019, 9, 1),
            document_type="recepisse",
            document_number="R-1",
            document_expiry=date(2026, 6, 30),
            legal_aid_status="requested",
        ),
        defendant="le préfet de la Seine-Saint-Denis",
        salutation="Monsieur le Préfet",
        department_of="de la Seine-Saint-Denis",
        department_name="Seine-Saint-Denis",
        prefecture_city="Bobigny",
        prefecture_address="1 esplanade Jean Moulin, 93000 Bobigny",
        prefecture_email="pref-etrangers@seine-saint-denis.gouv.fr",
        tribunal_name="tribunal administratif de Montreuil",
        tribunal_address="7 rue Catherine Puig, 93100 Montreuil",
        tribunal_code="montreuil",
        procedure_label="admission exceptionnelle au séjour",
        procedure_basis="L. 435-1",
        is_renewal=False,
        booking_channel="rdv_prefecture",
        booking_url="https://www.rdv-prefecture.interieur.gouv.fr/",
        firm_name="Cabinet Exemple",
        firm_address="10 avenue de l'Exemple, 75011 Paris",
        firm_city="Paris",
        firm_phone="01 23 45 67 89",
        firm_email="contact@cabinet-exemple.fr",
        firm_letterhead="Cabinet Exemple\nAvocats au barreau de Paris",
        lawyer=LawyerData(name="Camille Martin", bar="Paris", toque="C 1234"),
        today=date(2026, 4, 2),
        attempts=attempts,
        contacts=(
            ContactData(
                "email",
                date(2026, 3, 10),
                "pref-etrangers@seine-saint-denis.gouv.fr",
                None,
                None,
                None,
                "none",
                "",
                (15,),
            ),
            ContactData(
                "registered_letter",
                date(2026, 3, 12),
                "Préfecture",
                "1A12345678901",
                date(2026, 3, 14),
                None,
                "none",
                "",
                (16, 17),
            ),
        ),
        urgency=(
            UrgencyData(
                "employment", date(2026, 5, 1), "Promesse d'embauche valable jusqu'au 1er mai"
            ),
        ),
        exhibits=tuple(
            ExhibitData(n, f"Pièce {n}", f"PJ{n:02d}_Piece_{n}.pdf") for n in range(1, 18)
        ),
    )
