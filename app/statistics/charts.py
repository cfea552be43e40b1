"""Charts as PNG or SVG (matplotlib, Agg backend): French labels, colour-blind-safe colours
(Okabe-Ito), titled with the period and n. The same data always gives the same bytes, so a
chart embedded in a filing stays reproducible."""

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.colors import LinearSegmentedColormap

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "svg.hashsalt": "creneau",
        "svg.fonttype": "none",
        "path.simplify": True,
    }
)
WEEKDAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
# Okabe-Ito: told apart with every common colour-vision deficiency.
FAILED_COLOUR, OTHER_COLOUR, SUCCESS_COLOUR = "#D55E00", "#E69F00", "#009E73"
HEAT = LinearSegmentedColormap.from_list("refusal", ["#F7F7F7", "#E69F00", "#D55E00"])
OUTCOME_LABELS = {
    "no_slot": "aucun créneau",
    "error": "erreur",
    "site_unavailable": "site indisponible",
    "captcha_failed": "captcha refusé",
    "anef_error": "erreur ANEF",
    "slot_offered": "créneau proposé",
}


def _save(figure: Any, kind: str) -> bytes:
    buffer = io.BytesIO()
    metadata = {"Software": None} if kind == "png" else {"Date": None, "Creator": None}
    figure.savefig(buffer, format=kind, dpi=150, bbox_inches="tight", metadata=metadata)
    plt.close(figure)
    return buffer.getvalue()


def heat_map(
    rates: list[list[float | None]], counts: list[list[int]], title: str, kind: str
) -> bytes:
    figure, axis = plt.subplots(figsize=(9, 3.2))
    grid = [[(r if r is not None else float("nan")) for r in row] for row in rates]
    image = axis.imshow(grid, aspect="auto", cmap=HEAT, vmin=0, vmax=1)
    axis.set_yticks(range(7), WEEKDAYS)
    axis.set_xticks(range(0, 24, 2), [f"{h} h" for h in range(0, 24, 2)])
    axis.set_xlabel("Heure locale de la préfecture")
    for day in range(7):
        for hour in range(24):
            if counts[day][hour]:
                axis.text(hour, day, str(counts[day][hour]), ha="center", va="center", fontsize=6)
    bar = figure.colorbar(image, ax=axis, fraction=0.025)
    bar.set_label("Part des tentatives refusées")
    axis.set_title(title)
    return _save(figure, kind)


def cumulative_days(series: dict[str, list[float]], title: str, kind: str) -> bytes:
    figure, axis = plt.subplots(figsize=(7, 3.5))
    labels = {
        "attempts": "tentatives seules",
        "letter": "après un courrier",
        "refere": "après un référé",
    }
    colours = {"attempts": OTHER_COLOUR, "letter": "#0072B2", "refere": FAILED_COLOUR}
    for route, days in sorted(series.items()):
        ordered = sorted(days)
        share = [(n + 1) / len(ordered) for n in range(len(ordered))]
        label = f"{labels.get(route, route)} (n = {len(ordered)})"
        axis.step(ordered, share, where="post", label=label, color=colours.get(route, "#555555"))
    axis.set_xlabel("Jours entre la première tentative et le rendez-vous")
    axis.set_ylabel("Part des dossiers")
    axis.set_ylim(0, 1.02)
    axis.legend(loc="lower right")
    axis.set_title(title)
    return _save(figure, kind)


def refere_outcomes(outcomes: dict[str, int], title: str, kind: str) -> bytes:
    labels = {
        "injunction": "injonction",
        "rejection": "rejet",
        "non_lieu": "non-lieu",
        "rejection_without_hearing": "rejet (L. 522-3)",
        "pending": "en attente",
    }
    names = sorted(outcomes)
    figure, axis = plt.subplots(figsize=(6, 3))
    colours = [SUCCESS_COLOUR if n == "injunction" else OTHER_COLOUR for n in names]
    axis.bar([labels.get(n, n) for n in names], [outcomes[n] for n in names], color=colours)
    axis.set_ylabel("Référés")
    axis.set_title(title)
    return _save(figure, kind)


def attempts_chart(attempts: list[tuple[datetime, str]], zone: ZoneInfo) -> bytes:
    """The client's own attempts, one mark each on a weekday-by-hour grid, a column per week,
    coloured by outcome: spread over weeks, days and hours at a glance (CE 435594)."""
    local = [(at.astimezone(zone), outcome) for at, outcome in sorted(attempts)]
    weeks = sorted({(d.isocalendar().year, d.isocalendar().week) for d, _ in local})
    figure, axes = plt.subplots(
        1, max(1, len(weeks)), figsize=(max(3.0, 1.6 * len(weeks)), 3.2), sharey=True, squeeze=False
    )
    for axis, week in zip(axes[0], weeks or [(0, 0)], strict=True):
        mine = [(d, o) for d, o in local if (d.isocalendar().year, d.isocalendar().week) == week]
        for outcome in sorted({o for _, o in mine}):
            points = [(d.weekday(), d.hour + d.minute / 60) for d, o in mine if o == outcome]
            colour = SUCCESS_COLOUR if outcome == "slot_offered" else FAILED_COLOUR
            marker = "o" if outcome == "no_slot" else "s"
            axis.scatter(
                [p[0] for p in points],
                [p[1] for p in points],
                s=28,
                c=colour,
                marker=marker,
                label=OUTCOME_LABELS.get(outcome, outcome),
            )
        axis.set_xticks(range(7), [w[0].upper() for w in WEEKDAYS])
        axis.set_xlim(-0.6, 6.6)
        axis.set_ylim(24, 0)
        axis.set_yticks(range(0, 25, 4), [f"{h} h" for h in range(0, 25, 4)])
        axis.grid(alpha=0.3)
        if mine:
            monday = mine[0][0].date().fromisocalendar(week[0], week[1], 1)
            axis.set_title(f"sem. du {monday:%d/%m/%Y}", fontsize=8)
    handles, labels = [], []
    for axis in axes[0]:
        for handle, label in zip(*axis.get_legend_handles_labels(), strict=True):
            if label not in labels:
                handles.append(handle)
                labels.append(label)
    if handles:
        figure.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False)
    figure.suptitle(f"Tentatives de prise de rendez-vous (n = {len(local)})")
    figure.subplots_adjust(bottom=0.2)
    return _save(figure, "png")
