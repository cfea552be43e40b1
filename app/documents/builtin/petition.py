"""The référé mesures utiles petition (art. L. 521-3 CJA), its attempts table annexed."""

from app.documents.builtin.annex import attempts_table
from app.documents.builtin.writer import Writer


def parties(w: Writer) -> None:
    w.p("POUR :", bold=True)
    w.text(
        "{{ client.identity }}{% if client.agdref %}, numéro étranger {{ client.agdref }}{% endif %}"
        "{% if client.phone %}, tél. {{ client.phone }}{% endif %}"
        "{% if client.email %}, {{ client.email }}{% endif %}."
    )
    w.when(
        "lawyer",
        "Ayant pour avocat : Maître {{ lawyer.name }}, {{ lawyer.avocat }} au barreau "
        "{{ lawyer.bar_of }}{% if firm.address %}, {{ firm.address }}{% endif %}"
        "{% if lawyer.toque %}, toque {{ lawyer.toque }}{% endif %}"
        "{% if lawyer.phone %}, tél. {{ lawyer.phone }}{% endif %}"
        "{% if lawyer.email %}, {{ lawyer.email }}{% endif %}.",
        align="justify",
    )
    w.p("CONTRE :", bold=True)
    w.text(
        "{{ prefecture.defendant_title }}{% if prefecture.address %}, {{ prefecture.address }}{% endif %}."
    )


def petition() -> None:
    w = Writer("Requête en référé mesures utiles")
    w.when("firm.letterhead", "{{ firm.letterhead|join(' – ') }}", italic=True, size=10)
    w.p("REQUÊTE EN RÉFÉRÉ MESURES UTILES", bold=True, align="center", size=14)
    w.p("(article L. 521-3 du code de justice administrative)", italic=True, align="center")
    w.p("")
    w.p("À Madame ou Monsieur le président du {{ tribunal.name }}, juge des référés", bold=True)
    w.p("")
    parties(w)
    w.p("")
    w.text(
        "{{ client.The_applicant }} demande au juge des référés d'enjoindre {{ prefecture.defendant_to }} "
        "de lui communiquer une date de rendez-vous en vue du dépôt {{ procedure.of_request }}, "
        "faute d'avoir pu obtenir ce rendez-vous par {{ booking.channel }}."
    )

    w.heading("I. Faits et procédure")
    w.text(
        "{{ client.The_applicant }}, {{ client.full_name }}{% if client.nationality %}, "
        "{{ client.nationality }}{% endif %}{% if client.entry_date %}, est entré{{ client.agreement_e }} "
        "en France le {{ client.entry_date }}{% else %}, réside en France{% endif %}."
        "{% if client.document_of %} {{ client.pronoun|capitalize }} est titulaire {{ client.document_of }}"
        "{% if client.document_expiry %} qui expire le {{ client.document_expiry }}{% endif %}.{% endif %}"
    )
    w.text(
        "{{ client.pronoun|capitalize }} souhaite déposer {{ procedure.request }}. Ce dépôt suppose "
        "un rendez-vous, qui ne peut être pris que sur {{ booking.channel }}"
        "{% if booking.url %} ({{ booking.url }}){% endif %}."
    )
    w.text(
        "Entre le {{ attempts_summary.first }} et le {{ attempts_summary.last }}, "
        "{{ client.pronoun }} a tenté à {{ attempts_summary.count }} reprises, sur "
        "{{ attempts_summary.days_text }} répartis sur {{ attempts_summary.weeks_text }}, "
        "d'obtenir un rendez-vous. {{ attempts_summary.outcomes }}."
        "{% if attempts_summary.proof %} {{ attempts_summary.proof }}{% endif %} "
        "Semaine après semaine :"
    )
    w.loop("for week in attempt_weeks", "– {{ week }}")
    w.when("firm_statistics", "{{ firm_statistics }}", align="justify")
    w.text("Le détail de chaque tentative figure au tableau annexé à la présente requête."
           "{% if time_zone %} Les dates et heures y sont données en {{ time_zone }}, celle "
           "des captures d'écran.{% endif %}")  # fmt: skip
    w.when("contacts", "{{ client.The_applicant }} s'est également adressé{{ client.agreement_e }} "
           "à la préfecture :", align="justify")  # fmt: skip
    w.loop("for contact in contacts", "– {{ contact }}")
    w.when("legal_aid", "{{ legal_aid }}", align="justify")
    w.text("À ce jour, aucun rendez-vous ne lui a été proposé. C'est dans ces conditions qu'"
           "{{ client.pronoun }} saisit le juge des référés.")  # fmt: skip

    w.heading("II. Discussion")
    w.heading("A. Sur la compétence du juge des référés et la recevabilité de la requête", 2)
    w.text(
        "Le litige relève de la juridiction administrative. Le {{ tribunal.name }} est compétent, "
        "le préfet qui doit statuer sur la demande ayant son siège dans son ressort (art. R. 312-1 "
        "et R. 221-3 du code de justice administrative). En vertu de l'article L. 521-3 du même "
        "code, le juge des référés peut, en cas d'urgence et sur simple requête recevable même en "
        "l'absence de décision administrative préalable, ordonner toutes mesures utiles sans faire "
        "obstacle à l'exécution d'une décision administrative."
    )
    w.text("{{ admissibility }}")
    w.heading("B. Sur l'urgence", 2)
    w.text(
        "{% if procedure.is_renewal %}La demande tend au renouvellement d'un titre de séjour. Dans ce "
        "cas, l'urgence est présumée : l'impossibilité de déposer la demande prive l'intéressé "
        "des droits attachés à la régularité de son séjour (CE, 9 juin 2022, n° 453391)."
        "{% if urgency_facts %} En tout état de cause, la situation de {{ client.the_applicant }} "
        "présente une urgence particulière.{% endif %}{% else %}"
        "S'agissant d'une première demande, l'urgence s'apprécie au regard des conséquences "
        "concrètes de l'impossibilité de déposer la demande sur la situation de l'intéressé, qui "
        "doit faire état de circonstances particulières (CE, 9 juin 2022, n° 453391)."
        "{% if urgency_facts %} Tel est le cas en l'espèce.{% endif %}{% endif %}"
    )
    w.loop("for fact in urgency", "{{ fact }}")
    w.when("oqtf", "{{ oqtf }}", align="justify")
    w.heading("C. Sur l'utilité de la mesure", 2)
    w.text(
        "Le préfet est tenu, après avoir fixé un rendez-vous, de recevoir l'étranger et, si son "
        "dossier est complet, d'enregistrer sa demande dans un délai raisonnable. Lorsque le "
        "rendez-vous ne peut être obtenu que par internet et que l'intéressé établit n'avoir pu "
        "l'obtenir malgré plusieurs tentatives qui n'ont pas toutes été faites la même semaine, il "
        "peut demander au juge des référés d'ordonner au préfet de lui communiquer une date de "
        "rendez-vous (CE, 10 juin 2020, n° 435594, Tables)."
    )
    w.text(
        "{% if attempts_summary.meets_case_law %}Tel est le cas : {{ client.the_applicant }} "
        "justifie de {{ attempts_summary.count }} tentatives infructueuses réparties sur "
        "{{ attempts_summary.weeks_text }}, du {{ attempts_summary.first }} au "
        "{{ attempts_summary.last }}{% if attempts_summary.exhibits %} {{ attempts_summary.exhibits }}"
        "{% endif %}.{% else %}{{ client.The_applicant }} produit les tentatives exposées "
        "ci-dessus{% if attempts_summary.exhibits %} {{ attempts_summary.exhibits }}{% endif %}."
        "{% endif %}{% if attempts_summary.has_screenshots %} Les captures d'écran produites "
        "établissent les refus opposés par le site, quand bien même la page de refus, qui "
        "s'affiche avant toute saisie de données personnelles, ne fait pas apparaître l'identité "
        "de l'intéressé (CE, 21 avril 2021, n° 448178, inédit).{% endif %}"
    )
    w.text(
        "Au surplus, un préfet n'a pas compétence pour rendre obligatoire le recours à un "
        "téléservice, module de prise de rendez-vous compris, pour les titres de séjour qui ne "
        "figurent pas sur la liste prévue à l'article R. 431-2 du code de l'entrée et du séjour "
        "des étrangers et du droit d'asile (CE, Section, avis, 3 juin 2022, n° 461694, Lebon). Et "
        "lorsqu'un téléservice peut être imposé, il ne l'est légalement que si l'accès normal au "
        "service est garanti et qu'une solution de substitution est offerte à l'usager qui, "
        "malgré ses diligences, ne peut l'utiliser (CE, Section, 3 juin 2022, n° 452798, Lebon). "
        "L'impossibilité d'obtenir un rendez-vous par la seule voie ouverte prive donc "
        "{{ client.the_applicant }} de tout accès au service."
    )
    w.heading("D. Sur l'absence de contestation sérieuse et d'obstacle à une décision", 2)
    w.text(
        "La mesure demandée se borne à la fixation d'un rendez-vous. Elle ne préjuge en rien de "
        "l'appréciation que portera le préfet sur la demande de titre de séjour et ne fait "
        "obstacle à l'exécution d'aucune décision administrative."
    )
    w.tag("{%p if conclusions.astreinte %}")
    w.heading("{{ headings.astreinte }}. Sur l'astreinte", 2)
    w.text(
        "Les demandes restées sans effet montrent que l'administration ne fixera pas de "
        "rendez-vous sans y être contrainte. Il est demandé d'assortir l'injonction d'une "
        "astreinte de {{ conclusions.astreinte }} par jour de retard."
    )
    w.tag("{%p endif %}")
    w.tag("{%p if conclusions.costs_argument %}")
    w.heading("{{ headings.costs }}. Sur les frais de l'instance", 2)
    w.text("{{ conclusions.costs_argument }}")
    w.tag("{%p endif %}")

    w.p("PAR CES MOTIFS", bold=True, align="center")
    w.text("{{ client.The_applicant }} demande au juge des référés :")
    w.when(
        "client.legal_aid_pending",
        "– d'admettre {{ client.the_applicant }} au bénéfice de l'aide juridictionnelle à titre "
        "provisoire (article 20 de la loi n° 91-647 du 10 juillet 1991) ;",
        align="justify",
    )
    w.text(
        "– d'enjoindre {{ prefecture.defendant_to }} de communiquer {{ client.to_the_applicant }} "
        "une date de rendez-vous en vue du dépôt {{ procedure.of_request }}, dans un délai de "
        "{{ conclusions.delay_days }} jours à compter de la notification de l'ordonnance à "
        "intervenir, ce rendez-vous devant avoir lieu au plus tard dans un délai de "
        "{{ conclusions.latest_appointment_days }} jours à compter de cette notification"
        "{% if conclusions.astreinte or conclusions.costs_conclusion %} ;{% else %}.{% endif %}"
    )
    w.when(
        "conclusions.astreinte",
        "– d'assortir cette injonction d'une astreinte de {{ conclusions.astreinte }} par jour "
        "de retard{% if conclusions.costs_conclusion %} ;{% else %}.{% endif %}",
        align="justify",
    )
    w.when("conclusions.costs_conclusion", "– {{ conclusions.costs_conclusion }}", align="justify")
    w.p("")
    w.signature()
    w.p("")
    w.p("Pièces : voir le bordereau des pièces. Le tableau des tentatives est annexé ci-après.",
        italic=True)  # fmt: skip
    # The annex is part of the pleading, not a pièce: it closes the same file, so it can
    # never disagree with the figures above and Télérecours gets no unnumbered file.
    w.page_break()
    attempts_table(w)
    w.save("interim_relief_petition")
