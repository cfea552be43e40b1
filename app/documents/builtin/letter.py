"""The letter to the préfecture asking for an appointment (registered letter or e-mail)."""

from app.documents.builtin.writer import Writer


def letter() -> None:
    w = Writer("Demande de convocation")
    w.letterhead()
    w.p("")
    w.p("{{ prefecture.addressee }}", align="right")
    w.p("{{ prefecture.service }}", align="right")
    w.when("prefecture.address and letter.by_registered_letter", "{{ prefecture.address }}",
           align="right")  # fmt: skip
    w.p("")
    w.p("{{ place }}, le {{ today }}", align="right")
    w.p("{% if letter.by_registered_letter %}Lettre recommandée avec accusé de réception{% else %}"
        "Par courriel : {{ prefecture.email }}{% endif %}", italic=True)  # fmt: skip
    w.p("Nos références : {{ case.reference }}{% if client.agdref %} – numéro étranger "
        "{{ client.agdref }}{% endif %}")  # fmt: skip
    w.p("Objet : demande de convocation en vue du dépôt {{ procedure.of_request }} – "
        "impossibilité d'obtenir un rendez-vous en ligne", bold=True)  # fmt: skip
    w.p("")
    w.p("{{ prefecture.salutation }},")
    w.text(
        "{% if lawyer %}J'ai l'honneur de vous écrire au nom de {{ client.identity }}."
        "{% else %}Je soussigné{{ client.agreement_e }} {{ client.identity }}, ai l'honneur de "
        "vous écrire.{% endif %}"
    )
    w.text(
        "{% if client.entry_date %}Entré{{ client.agreement_e }} en France le {{ client.entry_date }}, "
        "{% endif %}{{ client.full_name }} souhaite déposer {{ procedure.request }}. "
        "{% if client.document_of %}{{ client.pronoun|capitalize }} est titulaire {{ client.document_of }}"
        "{% if client.document_expiry %} qui expire le {{ client.document_expiry }}{% endif %}. {% endif %}"
        "{% if case.file_complete %}Son dossier est complet et prêt à être déposé.{% endif %}"
    )
    w.text(
        "Depuis le {{ attempts_summary.first }}, {{ attempts_summary.count }} tentatives de prise "
        "de rendez-vous sur {{ booking.channel }} ont échoué, sur {{ attempts_summary.weeks_text }} "
        "et à des heures variées{% if time_zone %} ({{ time_zone }}){% endif %}. "
        "{{ attempts_summary.outcomes }}. Semaine après semaine :"
    )
    w.loop("for week in attempt_weeks", "– {{ week }}")
    w.when("firm_statistics", "{{ firm_statistics }}", align="justify")
    w.when("contacts", "Les démarches suivantes sont également restées vaines :", align="justify")
    w.loop("for contact in contacts", "– {{ contact }}")
    w.text(
        "Or l'administration est tenue d'enregistrer une demande de titre de séjour dans un délai "
        "raisonnable (CE, 10 juin 2020, n° 435594). Un préfet ne peut, en outre, rendre "
        "obligatoire la prise de rendez-vous en ligne pour les titres qui ne figurent pas sur la "
        "liste de l'article R. 431-2 du code de l'entrée et du séjour des étrangers et du droit "
        "d'asile (CE, Section, avis, 3 juin 2022, n° 461694), et un téléservice imposé suppose "
        "une solution de substitution pour l'usager qui ne parvient pas à l'utiliser (CE, "
        "Section, 3 juin 2022, n° 452798)."
    )
    w.when(
        "urgency", "La situation de {{ client.full_name }} est en outre urgente :", align="justify"
    )
    w.loop("for fact in urgency", "{{ fact }}")
    w.text(
        "Je vous prie en conséquence de bien vouloir convoquer {{ client.full_name }} à un "
        "rendez-vous dans un délai de {{ letter.response_days }} jours à compter de la réception "
        "de la présente, ou de lui indiquer les modalités de dépôt de sa demande par une autre voie."
    )
    w.text(
        "À défaut de réponse dans ce délai, le juge des référés du {{ tribunal.name }} sera saisi "
        "sur le fondement de l'article L. 521-3 du code de justice administrative, afin qu'il "
        "enjoigne de fixer ce rendez-vous sous astreinte, et l'État sera appelé à supporter les "
        "frais de l'instance (article L. 761-1 du même code)."
    )
    w.text(
        "Je vous prie d'agréer, {{ prefecture.salutation }}, l'expression de ma haute considération."
    )
    w.p("")
    w.p("{% if lawyer %}Maître {{ lawyer.name }}{% else %}{{ client.full_name }}{% endif %}",
        align="right")  # fmt: skip
    w.when("lawyer", "{{ lawyer.quality }}", align="right")
    w.when("exhibits", "Pièces jointes :", italic=True)
    w.loop("for exhibit in exhibits", "{{ exhibit.number }}. {{ exhibit.label }}")
    w.save("prefecture_letter")
