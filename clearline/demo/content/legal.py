"""Terms, privacy, advertising/routing and editorial policies for the demo site (English and Spanish).

The text describes how Clearline actually works; see DESIGN.md section 3.
"""

from clearline.demo.content._text import t

_DEMO_NOTE = t(
    """This is a demonstration site. The providers, people and phone numbers on it are fictional, and
    nothing here is a real offer of treatment."""
)

LEGAL_PAGES: list[dict] = [
    {
        "slug": "terms-of-use",
        "kind": "terms",
        "title": "Terms of use",
        "intro": t(
            """These terms explain what Clearline is, what it is not, and what happens when you call one of
            our numbers. We have tried to keep them short and clear."""
        ),
        "body": [
            ("callout", _DEMO_NOTE),
            ("heading", "What Clearline is"),
            (
                "paragraph",
                t(
                    """<p>Clearline is an information website about substance use disorders and their
                    treatment, with a directory of treatment facilities and telephone helplines. Our
                    articles are general information. They are not medical advice for you, and they do not
                    replace a visit with a doctor, nurse or counselor who knows your situation.</p>"""
                ),
            ),
            ("heading", "If you are in crisis"),
            (
                "callout",
                t(
                    """If you are thinking about suicide or are in emotional crisis, call or text 988. In
                    an emergency, call 911. During any call to our helpline you can press 9 for the crisis
                    line or 0 for the free SAMHSA National Helpline (1-800-662-4357)."""
                ),
            ),
            ("heading", "Who answers when you call"),
            (
                "paragraph",
                t(
                    """<p>Our site has two kinds of phone numbers:</p>
                    <ul>
                    <li><strong>Listing numbers</strong> appear on a facility's page in the directory. A
                    listing number rings that facility only. It is never passed to anyone else.</li>
                    <li><strong>General helpline numbers</strong> appear in the helpline bar at the top of
                    our pages. These calls are answered, or returned, by one of several participating
                    treatment providers. The providers are paid advertisers.</li>
                    </ul>
                    <p>Before you are connected, a short message tells you the name of the provider, or
                    providers, about to answer. You can hang up at any time, or press 9 or 0 to reach a
                    free line instead. The <a href="/advertising-and-routing-policy/">advertising and
                    routing policy</a> explains how a provider is chosen.</p>"""
                ),
            ),
            ("heading", "Calling means agreeing to these terms"),
            (
                "paragraph",
                t(
                    """<p>By calling a general helpline number you agree to these terms, and you understand
                    that you will speak with a treatment provider that advertises on Clearline, not with
                    Clearline staff. The provider is responsible for the advice and services it gives
                    you.</p>"""
                ),
            ),
            ("heading", "No obligation"),
            (
                "paragraph",
                t(
                    """<p>Calling never obliges you to anything. You do not have to enter treatment, share
                    more than you want to, or choose the provider who answered. You can ask about other
                    options, including free and public programs, and you can search
                    <a href="https://findtreatment.gov/">FindTreatment.gov</a> yourself.</p>"""
                ),
            ),
            ("heading", "If nobody answers"),
            (
                "paragraph",
                t(
                    """<p>If no provider can take your call, you may ask for a callback. We tell you which
                    provider will call you back and within how long. If that provider does not call in
                    time, the request is given to another provider. You can also press 0 for the free
                    SAMHSA National Helpline instead.</p>"""
                ),
            ),
            ("heading", "Using the site"),
            (
                "paragraph",
                t(
                    """<p>Please do not misuse our phone lines or try to disrupt the site. Facility details
                    in the directory come from public sources and from facilities themselves; check them
                    with the facility before you rely on them. Clearline is open-source software, and the
                    code is published under its own license.</p>"""
                ),
            ),
            ("heading", "Changes"),
            (
                "paragraph",
                t(
                    """<p>If we change these terms, we will update this page and its date. Changes apply
                    to calls and visits after the change.</p>"""
                ),
            ),
        ],
    },
    {
        "slug": "privacy",
        "kind": "privacy",
        "title": "Privacy",
        "intro": t(
            """Looking for help with substance use is private. We collect as little as we can, we do not
            track you, and we delete what we no longer need."""
        ),
        "body": [
            ("callout", _DEMO_NOTE),
            ("heading", "On the website"),
            (
                "paragraph",
                t(
                    """<p>Our pages have no third-party scripts, no advertising pixels and no analytics
                    tools. We do not sell or share information about what you read. Like any web server,
                    ours keeps short technical logs to keep the site running and secure.</p>"""
                ),
            ),
            ("heading", "When you call"),
            (
                "paragraph",
                t(
                    """<ul>
                    <li><strong>Calls are not recorded.</strong> Recording is switched off.</li>
                    <li><strong>Your phone number is not stored as a number.</strong> We keep only a keyed
                    hash of it: a scrambled code that lets us notice repeat calls and count calls fairly,
                    but that cannot be turned back into your number without a secret key that is kept out
                    of our database.</li>
                    <li>We store facts about the call itself, such as the time, how long it lasted, which
                    provider was offered the call and whether it was answered. These figures feed our
                    public reports, in totals only.</li>
                    <li>Our logs never contain your phone number.</li>
                    </ul>"""
                ),
            ),
            ("heading", "If you ask for a callback"),
            (
                "paragraph",
                t(
                    """<p>A callback needs your number, so only while a callback request is open do we keep
                    it, encrypted. It is used only so that the provider named in the request can call you
                    back. When the request closes, the number is deleted within a few days.</p>"""
                ),
            ),
            ("heading", "What providers see"),
            (
                "paragraph",
                t(
                    """<p>When a provider answers your call, it hears you the same way any phone call
                    works, and what you tell it is covered by its own privacy practices and the health
                    privacy laws that apply to it. You choose what to share.</p>"""
                ),
            ),
            ("heading", "Your choices"),
            (
                "paragraph",
                t(
                    """<p>You can always call the free SAMHSA National Helpline directly at 1-800-662-4357,
                    or press 0 during a call to be transferred to it. If you have a question about your
                    information, contact the operator of this site.</p>"""
                ),
            ),
        ],
    },
    {
        "slug": "advertising-and-routing-policy",
        "kind": "advertising",
        "title": "Advertising and call routing policy",
        "intro": t(
            """Clearline is paid for by treatment providers who advertise with us. This page explains
            exactly
            how that works, and how we make sure money never decides where your call goes."""
        ),
        "body": [
            ("callout", _DEMO_NOTE),
            ("heading", "One flat fee, the same for everyone"),
            (
                "paragraph",
                t(
                    """<p>Every participating provider pays the same flat fee for each period, such as
                    each month. No fee depends on the number of calls, on leads, on admissions, or on which
                    provider a caller chooses. We take no commission of any kind. Our systems do not even
                    have a place to record a price for a call.</p>"""
                ),
            ),
            ("heading", "How a provider is chosen"),
            (
                "paragraph",
                t(
                    """<p>When you call a general helpline number, we first find the providers that are
                    eligible right now. A provider is eligible only if it:</p>
                    <ul>
                    <li>has a current contract and a current license and certification;</li>
                    <li>is open at this moment in its own time zone, and has not paused its line;</li>
                    <li>has a free line to take your call and has not reached its daily limit;</li>
                    <li>serves your state or area and speaks your language.</li>
                    </ul>
                    <p>Among the eligible providers we use a fair rotation that keeps each provider's share of
                    calls equal: the one furthest behind its share goes first, then the one that was offered a
                    call least recently. Sometimes several providers ring at once, and the first one
                    to accept takes the call. If nobody answers, the call moves on to the next in line.
                    Every decision is logged so that it can be checked later.</p>"""
                ),
            ),
            ("heading", "You hear who will answer"),
            (
                "paragraph",
                t(
                    """<p>Before you are connected, a short message names the provider or providers about
                    to answer. At any moment during the call you can press 9 for the 988 crisis line or 0
                    for the free SAMHSA National Helpline.</p>"""
                ),
            ),
            ("heading", "Listing numbers ring only that facility"),
            (
                "paragraph",
                t(
                    """<p>A phone number shown on a facility's page in our directory rings that facility
                    and no one else. If the facility does not answer, you hear your options, including the
                    free national helpline. Your call is never handed to an advertiser.</p>"""
                ),
            ),
            ("heading", "If nobody answers"),
            (
                "paragraph",
                t(
                    """<p>If no provider can answer, you may ask for a callback. We tell you which provider
                    will call you back and within how much time. If it misses that deadline, the request is
                    given to another provider.</p>"""
                ),
            ),
            ("heading", "No obligation"),
            (
                "paragraph",
                t(
                    """<p>You are never obliged to enter treatment or to choose the provider that answered.
                    A good provider will talk through your options with you, including ones it does not
                    offer.</p>"""
                ),
            ),
            ("heading", "Advertising and our articles"),
            (
                "paragraph",
                t(
                    """<p>Advertisers have no say over our articles. See our
                    <a href="/editorial-policy/">editorial policy</a>.</p>"""
                ),
            ),
            ("heading", "Public figures"),
            (
                "paragraph",
                t(
                    """<p>Each month we publish totals on our transparency page: each provider's share of
                    calls, how often and how quickly calls were answered, and how many callbacks were
                    returned on time.</p>"""
                ),
            ),
        ],
    },
    {
        "slug": "editorial-policy",
        "kind": "editorial",
        "title": "Editorial policy",
        "intro": t(
            """Our articles aim to be accurate, kind and easy to read. Here is how we write them, check them
            and keep them up to date."""
        ),
        "body": [
            ("callout", _DEMO_NOTE),
            ("heading", "Medical review"),
            (
                "paragraph",
                t(
                    """<p>Every health article is written by a named author and checked by a named medical
                    reviewer, such as a doctor or nurse with experience in addiction care, before it is
                    published. Each article shows who wrote it, who reviewed it and the date it was last
                    reviewed. We review articles again regularly and whenever the evidence changes.</p>"""
                ),
            ),
            ("heading", "Sources"),
            (
                "paragraph",
                t(
                    """<p>We base our articles on trusted public sources, such as the Substance Abuse and
                    Mental Health Services Administration (SAMHSA), the National Institutes of Health, the
                    Centers for Disease Control and Prevention and the Food and Drug Administration. We
                    list our sources at the end of each article and link to them, so you can check them
                    yourself.</p>"""
                ),
            ),
            ("heading", "How we write"),
            (
                "paragraph",
                t(
                    """<ul>
                    <li>We use plain words and short sentences.</li>
                    <li>We use respectful, person-first language, such as "a person with a substance use
                    disorder".</li>
                    <li>We do not promise cures or quote numbers we cannot source.</li>
                    <li>Every page includes crisis and free help: call or text 988, the free SAMHSA
                    National Helpline at 1-800-662-4357, and in an emergency, call 911.</li>
                    </ul>"""
                ),
            ),
            ("heading", "Advertisers never influence content"),
            (
                "paragraph",
                t(
                    """<p>The treatment providers who advertise with us do not write, edit, review or
                    approve our articles, and they cannot pay to be mentioned or to change what we say. Our
                    writers and reviewers do not know which provider will answer a call.</p>"""
                ),
            ),
            ("heading", "Corrections"),
            (
                "paragraph",
                t(
                    """<p>If you find a mistake, please tell us. We correct errors quickly and update the
                    review date when we do.</p>"""
                ),
            ),
        ],
    },
]

# Spanish versions ------------------------------------------------------------------------------------------

_DEMO_NOTE_ES = t(
    """Este es un sitio de demostración. Los proveedores, las personas y los números de teléfono que
    aparecen en él son ficticios, y nada de lo que contiene es una oferta real de tratamiento."""
)

_ES: dict[str, dict] = {
    "terms-of-use": {
        "slug": "condiciones-de-uso",
        "title": "Condiciones de uso",
        "intro": t(
            """Estas condiciones explican qué es Clearline, qué no es y qué ocurre cuando llama a uno de
            nuestros números. Hemos intentado que sean breves y claras."""
        ),
        "body": [
            ("callout", _DEMO_NOTE_ES),
            ("heading", "Qué es Clearline"),
            (
                "paragraph",
                t(
                    """<p>Clearline es un sitio web de información sobre los trastornos por consumo de
                    sustancias y su tratamiento, con un directorio de centros de tratamiento y líneas
                    telefónicas de ayuda. Nuestros artículos ofrecen información general. No son consejo
                    médico para su caso y no sustituyen la consulta con un médico, una enfermera o un
                    terapeuta que conozca su situación.</p>"""
                ),
            ),
            ("heading", "Si está en crisis"),
            (
                "callout",
                t(
                    """Si piensa en el suicidio o está en una crisis emocional, llame o envíe un mensaje de
                    texto al 988. En una emergencia, llame al 911. Durante cualquier llamada a nuestra línea
                    de ayuda puede pulsar 9 para la línea de crisis o 0 para la Línea Nacional de Ayuda de
                    SAMHSA, que es gratuita (1-800-662-4357)."""
                ),
            ),
            ("heading", "Quién contesta cuando llama"),
            (
                "paragraph",
                t(
                    """<p>En nuestro sitio hay dos tipos de números de teléfono:</p>
                    <ul>
                    <li>Los <strong>números de una ficha</strong> aparecen en la página de un centro del
                    directorio. Ese número llama solo a ese centro y nunca se pasa a nadie más.</li>
                    <li>Los <strong>números generales de ayuda</strong> aparecen en la barra superior de
                    nuestras páginas. Estas llamadas las atiende, o las devuelve, uno de varios proveedores
                    de tratamiento participantes. Estos proveedores son anunciantes que pagan por
                    anunciarse.</li>
                    </ul>
                    <p>Antes de conectarle, un breve mensaje le dice el nombre del proveedor, o de los
                    proveedores, que van a contestar. Puede colgar en cualquier momento, o pulsar 9 o 0
                    para hablar con una línea gratuita. La <a href="/es/politica-de-publicidad-y-enrutamiento/">política
                    de publicidad y de enrutamiento de llamadas</a> explica cómo se elige al
                    proveedor.</p>"""
                ),
            ),
            ("heading", "Llamar implica aceptar estas condiciones"),
            (
                "paragraph",
                t(
                    """<p>Al llamar a un número general de ayuda, usted acepta estas condiciones y entiende
                    que hablará con un proveedor de tratamiento que se anuncia en Clearline, no con personal
                    de Clearline. El proveedor es responsable de los consejos y servicios que le
                    ofrezca.</p>"""
                ),
            ),
            ("heading", "Sin ninguna obligación"),
            (
                "paragraph",
                t(
                    """<p>Llamar nunca le obliga a nada. No tiene que empezar un tratamiento, contar más de
                    lo que desee ni elegir al proveedor que contestó. Puede preguntar por otras opciones,
                    incluidos los programas públicos y gratuitos, y también puede buscar por su cuenta en
                    <a href="https://findtreatment.gov/">FindTreatment.gov</a>.</p>"""
                ),
            ),
            ("heading", "Si nadie contesta"),
            (
                "paragraph",
                t(
                    """<p>Si ningún proveedor puede atender su llamada, puede pedir que le devuelvan la
                    llamada. Le diremos qué proveedor le llamará y en cuánto tiempo. Si ese proveedor no
                    llama a tiempo, la solicitud pasa a otro proveedor. También puede pulsar 0 para hablar
                    con la Línea Nacional de Ayuda de SAMHSA, que es gratuita.</p>"""
                ),
            ),
            ("heading", "Uso del sitio"),
            (
                "paragraph",
                t(
                    """<p>Le pedimos que no haga un mal uso de nuestras líneas telefónicas ni intente
                    perjudicar el funcionamiento del sitio. Los datos de los centros del directorio
                    proceden de fuentes públicas y de los propios centros; confírmelos con el centro antes
                    de tomar decisiones. Clearline es software de código abierto, y su código se publica
                    con su propia licencia.</p>"""
                ),
            ),
            ("heading", "Cambios"),
            (
                "paragraph",
                t(
                    """<p>Si cambiamos estas condiciones, actualizaremos esta página y su fecha. Los cambios
                    se aplican a las llamadas y visitas posteriores.</p>"""
                ),
            ),
        ],
    },
    "privacy": {
        "slug": "privacidad",
        "title": "Privacidad",
        "intro": t(
            """Buscar ayuda por el consumo de sustancias es un asunto privado. Recogemos lo mínimo posible,
            no le rastreamos y borramos lo que ya no necesitamos."""
        ),
        "body": [
            ("callout", _DEMO_NOTE_ES),
            ("heading", "En el sitio web"),
            (
                "paragraph",
                t(
                    """<p>Nuestras páginas no tienen scripts de terceros, ni píxeles publicitarios, ni
                    herramientas de analítica. No vendemos ni compartimos información sobre lo que usted
                    lee. Como cualquier servidor web, el nuestro guarda registros técnicos breves para que
                    el sitio funcione y sea seguro.</p>"""
                ),
            ),
            ("heading", "Cuando llama"),
            (
                "paragraph",
                t(
                    """<ul>
                    <li><strong>Las llamadas no se graban.</strong> La grabación está desactivada.</li>
                    <li><strong>No guardamos su número de teléfono como tal.</strong> Solo conservamos un
                    hash con clave: un código cifrado que nos permite reconocer llamadas repetidas y contar
                    las llamadas de forma justa, pero que no se puede convertir de nuevo en su número sin
                    una clave secreta que se guarda fuera de nuestra base de datos.</li>
                    <li>Guardamos datos sobre la llamada en sí, como la hora, la duración, a qué proveedor
                    se le ofreció y si se contestó. Estas cifras alimentan nuestros informes públicos, solo
                    como totales.</li>
                    <li>Nuestros registros nunca contienen su número de teléfono.</li>
                    </ul>"""
                ),
            ),
            ("heading", "Si pide que le devuelvan la llamada"),
            (
                "paragraph",
                t(
                    """<p>Para devolverle la llamada hace falta su número, así que solo lo guardamos,
                    cifrado, mientras la solicitud está abierta. Se usa únicamente para que el proveedor
                    indicado en la solicitud pueda llamarle. Cuando la solicitud se cierra, el número se
                    borra en pocos días.</p>"""
                ),
            ),
            ("heading", "Qué ven los proveedores"),
            (
                "paragraph",
                t(
                    """<p>Cuando un proveedor contesta su llamada, le oye como en cualquier llamada
                    telefónica. Lo que usted le cuente queda sujeto a las prácticas de privacidad de ese
                    proveedor y a las leyes de privacidad de la salud que le correspondan. Usted decide qué
                    compartir.</p>"""
                ),
            ),
            ("heading", "Sus opciones"),
            (
                "paragraph",
                t(
                    """<p>Siempre puede llamar directamente a la Línea Nacional de Ayuda de SAMHSA, que es
                    gratuita, al 1-800-662-4357, o pulsar 0 durante una llamada para que le transfieran.
                    Si tiene preguntas sobre su información, póngase en contacto con el responsable de
                    este sitio.</p>"""
                ),
            ),
        ],
    },
    "advertising-and-routing-policy": {
        "slug": "politica-de-publicidad-y-enrutamiento",
        "title": "Política de publicidad y de enrutamiento de llamadas",
        "intro": t(
            """Clearline se financia con los proveedores de tratamiento que se anuncian en el sitio. Esta
            página explica exactamente cómo funciona y cómo nos aseguramos de que el dinero nunca decida
            adónde va su llamada."""
        ),
        "body": [
            ("callout", _DEMO_NOTE_ES),
            ("heading", "Una tarifa fija, igual para todos"),
            (
                "paragraph",
                t(
                    """<p>Todos los proveedores participantes pagan la misma tarifa fija por cada periodo,
                    por ejemplo cada mes. Ninguna tarifa depende del número de llamadas, de los contactos,
                    de los ingresos a tratamiento ni del proveedor que elija quien llama. No cobramos
                    comisiones de ningún tipo. Nuestros sistemas ni siquiera tienen dónde anotar un precio
                    por llamada.</p>"""
                ),
            ),
            ("heading", "Cómo se elige al proveedor"),
            (
                "paragraph",
                t(
                    """<p>Cuando usted llama a un número general de ayuda, primero buscamos los proveedores
                    que cumplen los requisitos en ese momento. Un proveedor solo cumple los requisitos
                    si:</p>
                    <ul>
                    <li>tiene un contrato vigente y su licencia y certificación están al día;</li>
                    <li>está abierto en ese momento en su propia zona horaria y no ha pausado su línea;</li>
                    <li>tiene una línea libre para atenderle y no ha llegado a su límite diario;</li>
                    <li>atiende su estado o zona y habla su idioma.</li>
                    </ul>
                    <p>Entre los proveedores que cumplen los requisitos usamos una rotación justa que mantiene
                    igual la parte de llamadas de cada uno: va primero el que está más por debajo de su parte
                    y, después, aquel al que se le ofreció una llamada hace más tiempo. A veces suenan varios
                    proveedores a la vez, y el primero que acepta se queda con la llamada. Si nadie
                    contesta, la llamada pasa al siguiente. Cada decisión queda registrada para que se
                    pueda comprobar después.</p>"""
                ),
            ),
            ("heading", "Usted sabe quién va a contestar"),
            (
                "paragraph",
                t(
                    """<p>Antes de conectarle, un breve mensaje dice el nombre del proveedor o de los
                    proveedores que van a contestar. En cualquier momento de la llamada puede pulsar 9 para
                    la línea de crisis 988 o 0 para la Línea Nacional de Ayuda de SAMHSA, que es
                    gratuita.</p>"""
                ),
            ),
            ("heading", "El número de una ficha llama solo a ese centro"),
            (
                "paragraph",
                t(
                    """<p>El número de teléfono que aparece en la página de un centro de nuestro directorio
                    llama a ese centro y a nadie más. Si el centro no contesta, usted escucha sus opciones,
                    incluida la línea nacional gratuita. Su llamada nunca se pasa a un anunciante.</p>"""
                ),
            ),
            ("heading", "Si nadie contesta"),
            (
                "paragraph",
                t(
                    """<p>Si ningún proveedor puede contestar, puede pedir que le devuelvan la llamada. Le
                    diremos qué proveedor le llamará y en cuánto tiempo. Si no cumple ese plazo, la
                    solicitud pasa a otro proveedor.</p>"""
                ),
            ),
            ("heading", "Sin ninguna obligación"),
            (
                "paragraph",
                t(
                    """<p>Nunca está obligado u obligada a empezar un tratamiento ni a elegir al proveedor
                    que contestó. Un buen proveedor hablará con usted de todas sus opciones, incluidas las
                    que él no ofrece.</p>"""
                ),
            ),
            ("heading", "La publicidad y nuestros artículos"),
            (
                "paragraph",
                t(
                    """<p>Los anunciantes no tienen ninguna influencia sobre nuestros artículos. Consulte
                    nuestra <a href="/es/politica-editorial/">política editorial</a>.</p>"""
                ),
            ),
            ("heading", "Cifras públicas"),
            (
                "paragraph",
                t(
                    """<p>Cada mes publicamos totales en nuestra página de transparencia: la proporción de
                    llamadas de cada proveedor, con qué frecuencia y rapidez se contestaron, y cuántas
                    llamadas pendientes se devolvieron a tiempo.</p>"""
                ),
            ),
        ],
    },
    "editorial-policy": {
        "slug": "politica-editorial",
        "title": "Política editorial",
        "intro": t(
            """Nuestros artículos buscan ser precisos, respetuosos y fáciles de leer. Así es como los
            escribimos, los revisamos y los mantenemos al día."""
        ),
        "body": [
            ("callout", _DEMO_NOTE_ES),
            ("heading", "Revisión médica"),
            (
                "paragraph",
                t(
                    """<p>Cada artículo de salud lo escribe un autor identificado y lo revisa un revisor
                    médico identificado, como un médico o una enfermera con experiencia en el tratamiento
                    de las adicciones, antes de publicarse. Cada artículo indica quién lo escribió, quién
                    lo revisó y la fecha de su última revisión. Volvemos a revisar los artículos con
                    regularidad y siempre que cambia la evidencia.</p>"""
                ),
            ),
            ("heading", "Fuentes"),
            (
                "paragraph",
                t(
                    """<p>Basamos nuestros artículos en fuentes públicas de confianza, como la
                    Administración de Servicios de Salud Mental y Abuso de Sustancias (SAMHSA), los
                    Institutos Nacionales de la Salud, los Centros para el Control y la Prevención de
                    Enfermedades y la Administración de Alimentos y Medicamentos. Al final de cada artículo
                    enumeramos nuestras fuentes con sus enlaces, para que pueda consultarlas usted
                    mismo.</p>"""
                ),
            ),
            ("heading", "Cómo escribimos"),
            (
                "paragraph",
                t(
                    """<ul>
                    <li>Usamos palabras sencillas y frases cortas.</li>
                    <li>Usamos un lenguaje respetuoso que pone a la persona primero, como "una persona con
                    un trastorno por consumo de sustancias".</li>
                    <li>No prometemos curas ni damos cifras sin fuente.</li>
                    <li>Todas las páginas incluyen ayuda gratuita y para crisis: llame o envíe un mensaje
                    de texto al 988, la Línea Nacional de Ayuda de SAMHSA al 1-800-662-4357 y, en una
                    emergencia, llame al 911.</li>
                    </ul>"""
                ),
            ),
            ("heading", "Los anunciantes nunca influyen en el contenido"),
            (
                "paragraph",
                t(
                    """<p>Los proveedores de tratamiento que se anuncian con nosotros no escriben, editan,
                    revisan ni aprueban nuestros artículos, y no pueden pagar para aparecer en ellos ni
                    para cambiar lo que decimos. Nuestros autores y revisores no saben qué proveedor
                    atenderá una llamada.</p>"""
                ),
            ),
            ("heading", "Correcciones"),
            (
                "paragraph",
                t(
                    """<p>Si encuentra un error, por favor avísenos. Corregimos los errores con rapidez y
                    actualizamos la fecha de revisión cuando lo hacemos.</p>"""
                ),
            ),
        ],
    },
}

for _page in LEGAL_PAGES:
    _page["es"] = _ES[_page["slug"]]
