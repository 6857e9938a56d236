"""Load a starting set of offences, each with its schedule flags.

The list is a starting set, not the national offence list: an administrator
extends it in Django admin (or loads the CJS offence codes into ``cjs_code``,
left blank here because Safeguard does not invent CJS codes). Codes are
Safeguard's own short forms of the statute and section.

Flags: ``soa_schedule_3`` is Sexual Offences Act 2003 Schedule 3 (the offence
as listed; its age and sentence conditions are applied by the rules);
``cja_schedule_15`` is Criminal Justice Act 2003 Schedule 15 (specified
violent and sexual offences); ``domestic_abuse_related`` marks offences
commonly recorded as domestic abuse. A flag is set only where it is certain;
where it is not, it is left False and the row says why.
"""

from django.db import migrations

SOA = "Sexual Offences Act 2003"
OAPA = "Offences against the Person Act 1861"
PHA = "Protection from Harassment Act 1997"

# (code, description, statute, schedule 3, schedule 15, murder, domestic abuse)
OFFENCES = [
    ("CL-murder", "Murder", "Common law", False, False, True, False),
    ("CL-manslaughter", "Manslaughter", "Common law", False, True, False, False),
    ("OAPA1861-s4", "Soliciting murder", f"{OAPA} s.4", False, True, False, False),
    ("OAPA1861-s16", "Threats to kill", f"{OAPA} s.16", False, True, False, True),
    ("OAPA1861-s18", "Wounding or causing grievous bodily harm with intent", f"{OAPA} s.18", False, True, False, False),
    ("OAPA1861-s20", "Unlawful wounding or inflicting grievous bodily harm", f"{OAPA} s.20", False, True, False, True),
    ("OAPA1861-s47", "Assault occasioning actual bodily harm", f"{OAPA} s.47", False, True, False, True),
    ("CJA1988-s39", "Common assault", "Criminal Justice Act 1988 s.39", False, False, False, True),
    ("PHA1997-s2", "Harassment", f"{PHA} s.2", False, False, False, True),
    ("PHA1997-s2A", "Stalking", f"{PHA} s.2A", False, False, False, True),
    ("PHA1997-s4", "Putting people in fear of violence", f"{PHA} s.4", False, True, False, True),
    (
        "PHA1997-s4A",
        "Stalking involving fear of violence or serious alarm or distress",
        f"{PHA} s.4A",
        False,
        True,
        False,
        True,
    ),
    ("SOA2003-s1", "Rape", f"{SOA} s.1", True, True, False, False),
    ("SOA2003-s2", "Assault by penetration", f"{SOA} s.2", True, True, False, False),
    ("SOA2003-s3", "Sexual assault", f"{SOA} s.3", True, True, False, False),
    (
        "SOA2003-s4",
        "Causing a person to engage in sexual activity without consent",
        f"{SOA} s.4",
        True,
        True,
        False,
        False,
    ),
    ("SOA2003-s5", "Rape of a child under 13", f"{SOA} s.5", True, True, False, False),
    ("SOA2003-s7", "Sexual assault of a child under 13", f"{SOA} s.7", True, True, False, False),
    ("SOA2003-s9", "Sexual activity with a child", f"{SOA} s.9", True, True, False, False),
    (
        "SOA2003-s15",
        "Meeting a child following sexual grooming",
        f"{SOA} s.15",
        True,
        True,
        False,
        False,
    ),
    ("SOA2003-s66", "Exposure", f"{SOA} s.66", True, True, False, False),
    ("SOA2003-s67", "Voyeurism", f"{SOA} s.67", True, True, False, False),
    (
        "PCA1978-s1",
        "Taking, making or distributing indecent photographs of children",
        "Protection of Children Act 1978 s.1",
        True,
        True,
        False,
        False,
    ),
    (
        "CJA1988-s160",
        "Possession of indecent photographs of children",
        "Criminal Justice Act 1988 s.160",
        True,
        True,
        False,
        False,
    ),
    ("TA1968-s1", "Theft", "Theft Act 1968 s.1", False, False, False, False),
    ("TA1968-s8", "Robbery", "Theft Act 1968 s.8", False, True, False, False),
    ("TA1968-s10", "Aggravated burglary", "Theft Act 1968 s.10", False, True, False, False),
    ("CDA1971-s1-1", "Criminal damage", "Criminal Damage Act 1971 s.1(1)", False, False, False, True),
    ("CDA1971-s1-3", "Arson", "Criminal Damage Act 1971 s.1(3)", False, True, False, False),
    (
        "FLA1996-s42A",
        "Breach of a non-molestation order",
        "Family Law Act 1996 s.42A",
        False,
        False,
        False,
        True,
    ),
    # Schedule 15 status of s.76 is unconfirmed here: left False until checked
    # against the current text of the Schedule.
    (
        "SCA2015-s76",
        "Controlling or coercive behaviour in an intimate or family relationship",
        "Serious Crime Act 2015 s.76",
        False,
        False,
        False,
        True,
    ),
]

CODES = [row[0] for row in OFFENCES]


def load(apps, schema_editor):
    Offence = apps.get_model("events", "Offence")
    for code, description, statute, sch3, sch15, murder, da in OFFENCES:
        Offence.objects.update_or_create(
            code=code,
            defaults={
                "description": description,
                "statute": statute,
                "soa_schedule_3": sch3,
                "cja_schedule_15": sch15,
                "is_murder": murder,
                "domestic_abuse_related": da,
            },
        )


def unload(apps, schema_editor):
    Offence = apps.get_model("events", "Offence")
    Offence.objects.filter(code__in=CODES).delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0003_initial")]

    operations = [migrations.RunPython(load, unload)]
