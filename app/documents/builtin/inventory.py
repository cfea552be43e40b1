"""The inventory of exhibits (bordereau des pièces) filed with the petition."""

from app.documents.builtin.writer import Writer


def inventory() -> None:
    w = Writer("Bordereau des pièces")
    w.p("BORDEREAU DES PIÈCES", bold=True, align="center", size=14)
    w.p("{{ tribunal.title }} – juge des référés", align="center")
    w.p("{{ client.full_name }} contre {{ prefecture.defendant }}", align="center")
    w.p("Dossier {{ case.reference }}{% if time_zone %} – dates et heures en {{ time_zone }}"
        "{% endif %}", align="center", italic=True)  # fmt: skip
    w.p("")
    w.table(
        ["N°", "Désignation de la pièce", "Fichier"],
        ["{{ e.number }}", "{{ e.label }}", "{{ e.file_name }}"],
        "for e in exhibits",
        [1.2, 9.3, 5.5],
    )
    w.p("")
    w.p("Fait à {{ place }}, le {{ today }}", align="right")
    w.save("exhibit_inventory")
