"""The table of attempts: the petition's annex, and a document of its own."""

from app.documents.builtin.writer import Writer


def annex() -> None:
    w = Writer("Tableau des tentatives")
    attempts_table(w)
    w.save("attempts_annex")


def attempts_table(w: Writer) -> None:
    w.p("ANNEXE – TABLEAU DES TENTATIVES DE PRISE DE RENDEZ-VOUS", bold=True, align="center")
    w.p("{{ client.full_name }} – dossier {{ case.reference }}", align="center")
    w.p("{{ attempts_summary.count }} tentatives infructueuses du {{ attempts_summary.first }} au "
        "{{ attempts_summary.last }}, sur {{ attempts_summary.weeks_text }}"
        "{% if time_zone %} – dates et heures en {{ time_zone }}{% endif %}", align="center",
        italic=True)  # fmt: skip
    w.p("")
    w.when("attempts_chart", "{{ attempts_chart }}", align="center")
    w.when(
        "attempts_chart",
        "Chaque marque est une tentative, placée selon le jour de la semaine et l'heure "
        "locale ; une colonne par semaine.",
        italic=True,
        size=9,
        align="center",
    )
    w.table(
        ["Date", "Heure", "Motif choisi", "Message affiché", "Pièce n°"],
        [
            "{{ a.date }}",
            "{{ a.time }}",
            "{{ a.procedure }}",
            "{{ a.message or a.outcome }}",
            "{{ a.exhibit }}",
        ],
        "for a in attempts",
        [2.9, 1.9, 3.9, 5.8, 1.5],
    )
    w.when("attempt_pages", "Page{{ 's' if attempt_pages|length > 1 else '' }} consultée"
           "{{ 's' if attempt_pages|length > 1 else '' }} : {{ attempt_pages|join(' ; ') }}",
           italic=True, size=10)  # fmt: skip
