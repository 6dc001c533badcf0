"""Framework areas that questions are tagged with, so reports can be laid out as evidence."""

from __future__ import annotations

# Fire and Rescue Service Equality Framework (LGA, revised 2017): five priority areas.
FRSEF_AREAS: dict[int, str] = {
    1: "Leadership, partnership and organisational commitment",
    2: "Community knowledge and engagement",
    3: "Effective service delivery",
    4: "Employment conditions, health and wellbeing",
    5: "Recruitment, training and progression",
}

# HMICFRS inspection, People pillar.
HMICFRS_AREAS: dict[str, str] = {
    "values_culture": "Promoting the right values and culture",
    "right_people": "Getting the right people with the right skills",
    "fairness_diversity": "Ensuring fairness and promoting diversity",
    "performance_leaders": "Managing performance and developing leaders",
}

# NFCC Core Code of Ethics.
CORE_CODE_PRINCIPLES: dict[str, str] = {
    "communities_first": "Putting our communities first",
    "integrity": "Integrity",
    "dignity_respect": "Dignity and respect",
    "leadership": "Leadership",
    "edi": "Equality, diversity and inclusion",
}

# Equality Standard for Local Government: four benchmark areas.
EQUALITY_STANDARD_AREAS: dict[str, str] = {
    "leadership": "Leadership and corporate commitment",
    "community_engagement": "Community engagement and accountability",
    "service_delivery": "Service delivery and customer care",
    "employment_training": "Employment and training",
}
