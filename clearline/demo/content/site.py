"""Home page and topic hubs for the demo site."""

from clearline.demo.content._text import t

HOME: dict = {
    "title": "Clear information about addiction treatment",
    "intro": t(
        """<p>Clearline explains substance use disorders and their treatment in plain language. Our articles
        are checked by medical reviewers, list their sources and show when they were last reviewed.</p>
        <p>You can also call a helpline. We tell you who answers before you are connected, and you never
        have
        to enter treatment because you called. If you are thinking about suicide or are in crisis, call or
        text 988. The SAMHSA National Helpline is free at 1-800-662-4357. In an emergency, call 911.</p>"""
    ),
    "es": {
        "title": "Información clara sobre el tratamiento de las adicciones",
        "intro": t(
            """<p>Clearline explica los trastornos por consumo de sustancias y su tratamiento con palabras
            sencillas. Nuestros artículos los revisa personal médico, citan sus fuentes e indican la
            fecha de
            su última revisión.</p>
            <p>También puede llamar a una línea de ayuda. Antes de conectarle le decimos quién contestará, y
            llamar nunca le obliga a empezar un tratamiento. Si piensa en el suicidio o está en crisis,
            llame o
            envíe un mensaje de texto al 988. La Línea Nacional de Ayuda de SAMHSA es gratuita:
            1-800-662-4357. En una emergencia, llame al 911.</p>"""
        ),
    },
}

TOPICS: list[dict] = [
    {
        "slug": "heroin",
        "directory_link_text": "Find heroin treatment near you",
        "title": "Heroin",
        "intro": t(
            """<p>Heroin is an opioid that is highly addictive. Today much of the street supply also
            contains
            fentanyl, which makes every use more dangerous.</p>
            <p>Heroin use disorder is treatable. Medications such as methadone and buprenorphine, counseling
            and support from people close to you all help. Here you can learn what withdrawal is like, why
            some people use heroin to cope with pain or trauma, and how to find care.</p>
            <p>If someone is not breathing or will not wake up, give naloxone if you have it. In an
            emergency, call 911.</p>"""
        ),
        "search_description": t(
            """Plain-language, medically reviewed information about heroin use disorder, withdrawal,
            overdose and treatment options."""
        ),
        "es": {
            "slug": "heroina",
            "directory_link_text": "Encuentre tratamiento para la heroína cerca de usted",
            "title": "Heroína",
            "intro": t(
                """<p>La heroína es un opioide muy adictivo. Hoy gran parte de la droga que se vende en la
                calle también contiene fentanilo, lo que hace que cada consumo sea más peligroso.</p>
                <p>El trastorno por consumo de heroína tiene tratamiento. Los medicamentos como la
                metadona y
                la buprenorfina, la terapia y el apoyo de sus seres queridos ayudan. Aquí puede informarse
                sobre la abstinencia, sobre por qué algunas personas usan heroína para sobrellevar el
                dolor o
                un trauma, y sobre cómo encontrar atención.</p>
                <p>Si alguien no respira o no despierta, dele naloxona si la tiene. En una emergencia, llame
                al 911.</p>"""
            ),
            "search_description": t(
                """Información clara y revisada por personal médico sobre el consumo de heroína, la
                abstinencia, la sobredosis y el tratamiento."""
            ),
        },
    },
    {
        "slug": "opioids",
        "directory_link_text": "Find opioid treatment near you",
        "title": "Opioids",
        "intro": t(
            """<p>Opioids include prescription pain medicines such as oxycodone and hydrocodone, as well as
            fentanyl and heroin. Any of them can lead to an opioid use disorder, and all of them can
            cause an
            overdose.</p>
            <p>The good news is that effective treatment exists. Medications for opioid use disorder lower
            the risk of overdose and help people get their lives back. Naloxone can reverse an overdose, and
            you can buy the nasal spray without a prescription.</p>"""
        ),
        "search_description": t(
            """Medically reviewed guides to opioid use disorder, medications for treatment, naloxone and
            overdose signs, and helping a family member."""
        ),
        "es": {
            "slug": "opioides",
            "directory_link_text": "Encuentre tratamiento para los opioides cerca de usted",
            "title": "Opioides",
            "intro": t(
                """<p>Los opioides incluyen analgésicos recetados como la oxicodona y la hidrocodona, además
                del fentanilo y la heroína. Cualquiera de ellos puede causar un trastorno por consumo de
                opioides, y todos pueden provocar una sobredosis.</p>
                <p>La buena noticia es que hay tratamientos eficaces. Los medicamentos para el trastorno por
                consumo de opioides reducen el riesgo de sobredosis y ayudan a las personas a recuperar su
                vida. La naloxona puede revertir una sobredosis, y el aerosol nasal se vende sin
                receta.</p>"""
            ),
            "search_description": t(
                """Guías revisadas por personal médico sobre el trastorno por consumo de opioides, sus
                medicamentos, la naloxona y cómo ayudar a un familiar."""
            ),
        },
    },
    {
        "slug": "alcohol",
        "directory_link_text": "Find alcohol treatment near you",
        "title": "Alcohol",
        "intro": t(
            """<p>Alcohol use disorder is common, and it is a medical condition, not a failure of character.
            Treatment can include medications, counseling and mutual-support groups.</p>
            <p>If you drink heavily every day, stopping suddenly can be dangerous. Talk with a doctor before
            you quit, so that withdrawal can be managed safely.</p>"""
        ),
        "search_description": t(
            """Plain-language, medically reviewed information about alcohol use disorder, safe withdrawal
            and choosing a treatment program."""
        ),
        "es": {
            "slug": "alcohol",
            "directory_link_text": "Encuentre tratamiento para el alcohol cerca de usted",
            "title": "Alcohol",
            "intro": t(
                """<p>El trastorno por consumo de alcohol es frecuente y es una afección médica, no un
                defecto
                de carácter. El tratamiento puede incluir medicamentos, terapia y grupos de ayuda mutua.</p>
                <p>Si bebe mucho todos los días, dejar de beber de golpe puede ser peligroso. Hable con un
                médico antes de dejarlo, para que la abstinencia se pueda controlar de forma segura.</p>"""
            ),
            "search_description": t(
                """Información clara y revisada por personal médico sobre el trastorno por consumo de
                alcohol, la abstinencia segura y cómo elegir un programa."""
            ),
        },
    },
]
