"""Spanish translations of the English alcohol articles: our own writing, translated by us."""

from typing import Any

from clearline.demo.content._articles_alcohol import ALCOHOL_WITHDRAWAL, CHOOSING_PROGRAM
from clearline.demo.content._text import t

ALCOHOL_WITHDRAWAL_ES: dict[str, Any] = {
    "slug": "peligros-de-la-abstinencia-de-alcohol",
    "topic": "alcohol",
    "locale": "es",
    "translation_of": "alcohol-withdrawal-dangers",
    "title": "Abstinencia de alcohol: por qué dejar de beber de golpe puede ser peligroso",
    "summary": t(
        """Si bebe mucho a diario, dejarlo de golpe y a solas puede causar convulsiones o delirium tremens.
        Conozca las señales de alarma y cómo dejarlo con seguridad."""
    ),
    "intro": t(
        """Decidir dejar de beber es un paso grande y positivo. Pero si lleva un tiempo bebiendo mucho,
        dejarlo todo de una vez sin ayuda médica puede ser arriesgado. La abstinencia de alcohol es una de
        las pocas abstinencias que pueden poner la vida en peligro. Con la atención adecuada, se puede
        controlar de forma segura."""
    ),
    "body": [
        (
            "callout",
            t(
                """Las convulsiones, la confusión, ver u oír cosas que no existen, la fiebre alta o el
                corazón muy acelerado durante la abstinencia son emergencias médicas. En una emergencia,
                llame al 911."""
            ),
        ),
        ("heading", "Por qué aparece la abstinencia"),
        (
            "paragraph",
            t(
                """<p>El alcohol hace más lento el funcionamiento del cerebro. Cuando alguien bebe mucho
                durante semanas o meses, el cerebro compensa volviéndose más activo para mantener el
                equilibrio. Si el alcohol se corta de repente, esa actividad extra deja de estar frenada.
                El resultado es la abstinencia: el sistema nervioso se sobreexcita [1].</p>"""
            ),
        ),
        ("heading", "Síntomas frecuentes"),
        (
            "paragraph",
            t(
                """<p>Los síntomas suelen empezar entre unas horas y un día después de la última copa, y a
                veces más tarde [1]. Pueden incluir:</p>
                <ul>
                <li>temblor en las manos, sudor y latidos rápidos;</li>
                <li>ansiedad, irritabilidad y nerviosismo;</li>
                <li>dificultad para dormir y pesadillas;</li>
                <li>náuseas, vómitos y dolor de cabeza.</li>
                </ul>
                <p>Para muchas personas, los síntomas son peores en los primeros días y luego mejoran
                [1].</p>"""
            ),
        ),
        ("heading", "Los riesgos graves: convulsiones y delirium tremens"),
        (
            "paragraph",
            t(
                """<p>Algunas personas tienen una abstinencia grave. Puede incluir convulsiones y una
                afección llamada <strong>delirium tremens</strong>. El delirium tremens suele aparecer dos
                días o más después de la última copa. Sus señales son una confusión intensa, agitación,
                fiebre, y ver, sentir u oír cosas que no existen [2]. Es una emergencia médica y puede ser
                mortal sin tratamiento [2].</p>
                <p>El riesgo es mayor en las personas que:</p>
                <ul>
                <li>llevan mucho tiempo bebiendo mucho todos los días;</li>
                <li>ya tuvieron antes una abstinencia fuerte, convulsiones o delirium tremens;</li>
                <li>tienen otros problemas de salud, como enfermedades del hígado, del corazón o de los
                pulmones;</li>
                <li>consumen también otras drogas, sobre todo pastillas para dormir o
                benzodiacepinas.</li>
                </ul>"""
            ),
        ),
        ("heading", "Por qué no dejarlo de golpe y a solas"),
        (
            "paragraph",
            t(
                """<p>Es difícil prever quién tendrá una abstinencia grave, y los síntomas pueden cambiar
                rápido. Por eso, si bebe mucho todos los días, el primer paso más seguro es hablar con un
                médico, una enfermera o un programa de tratamiento <em>antes</em> de dejar de beber. Diga
                con sinceridad cuánto bebe: el personal clínico lo pregunta para cuidar de su seguridad, no
                para juzgarle.</p>
                <p>No intente controlar la abstinencia con pastillas de otra persona, y no vuelva a beber
                para que se le pasen los temblores sin hablar antes con un profesional clínico. Las dos
                cosas pueden ser peligrosas.</p>"""
            ),
        ),
        ("heading", "Cómo es la abstinencia con supervisión médica"),
        (
            "paragraph",
            t(
                """<p>Un profesional clínico le preguntará por lo que bebe y por su salud, le tomará los
                signos vitales y decidirá si puede pasar la abstinencia en casa con un seguimiento cercano
                o si necesita atención en un hospital o en una unidad de desintoxicación [1].</p>
                <ul>
                <li>Se usan medicamentos, casi siempre benzodiacepinas, para calmar el sistema nervioso y
                prevenir las convulsiones, y la dosis se baja a medida que los síntomas ceden [1].</li>
                <li>Se suelen dar vitaminas, sobre todo tiamina, porque beber mucho puede dejar al cuerpo
                sin ellas.</li>
                <li>Ayudan los líquidos y la comida, el descanso y un ambiente tranquilo.</li>
                <li>El personal revisa los síntomas con regularidad y actúa rápido si empeoran.</li>
                </ul>"""
            ),
        ),
        ("heading", "Después de la abstinencia: tratar el trastorno por consumo de alcohol"),
        (
            "paragraph",
            t(
                """<p>Superar la abstinencia es un comienzo importante, pero no es lo mismo que un
                tratamiento. Varias opciones ayudan a reducir el consumo o a dejarlo para siempre [3]:</p>
                <ul>
                <li><strong>Medicamentos.</strong> La naltrexona, el acamprosato y el disulfiram están
                aprobados para tratar el trastorno por consumo de alcohol. No causan adicción, y muchas
                veces un médico de cabecera puede recetarlos.</li>
                <li><strong>Tratamientos conductuales</strong>, como una terapia que enseña a manejar los
                detonantes y el estrés.</li>
                <li><strong>Grupos de ayuda mutua</strong>, que a muchas personas les sirven junto con el
                tratamiento.</li>
                </ul>
                <p>El Navegador de Tratamiento para el Alcohol del NIAAA, una guía en inglés, explica estas
                opciones y cómo encontrar atención de calidad [4].</p>"""
            ),
        ),
        ("heading", "Dónde conseguir ayuda"),
        (
            "paragraph",
            t(
                """<p>Empiece por su médico, o llame gratis a la Línea Nacional de Ayuda de SAMHSA al
                1-800-662-4357 para encontrar tratamiento cerca de usted [5]. Si se siente sin esperanza o
                piensa en el suicidio, llame o envíe un mensaje de texto al 988. Pedir información no le
                obliga a entrar en ningún programa.</p>"""
            ),
        ),
    ],
    "citations": [dict(citation) for citation in ALCOHOL_WITHDRAWAL["citations"]],
    "author": ALCOHOL_WITHDRAWAL["author"],
    "reviewer": ALCOHOL_WITHDRAWAL["reviewer"],
    "last_reviewed": ALCOHOL_WITHDRAWAL["last_reviewed"],
}

CHOOSING_PROGRAM_ES: dict[str, Any] = {
    "slug": "como-elegir-un-programa-de-tratamiento",
    "topic": "alcohol",
    "locale": "es",
    "translation_of": "choosing-a-treatment-program",
    "title": "Cómo elegir un programa de tratamiento: preguntas que hacer y señales de alarma",
    "summary": t(
        """Cómo es un buen tratamiento del alcohol y las drogas, qué preguntar antes de comprometerse y
        qué señales indican un programa que conviene evitar."""
    ),
    "intro": t(
        """Buscar tratamiento, para usted o para un ser querido, muchas veces se hace con prisa y bajo
        estrés. Unas cuantas preguntas pueden ayudarle a distinguir un programa sólido de uno malo. Esta
        guía sirve tanto para el tratamiento del alcohol como para el de otras drogas."""
    ),
    "body": [
        ("heading", "Empiece por el nivel de atención que necesita"),
        (
            "paragraph",
            t(
                """<p>El tratamiento tiene distintas intensidades. La atención ambulatoria consiste en
                visitas de unas pocas horas a la semana mientras vive en su casa. Los programas ambulatorios
                intensivos y los de hospitalización parcial se reúnen casi todos los días. Los programas
                residenciales dan tratamiento mientras usted vive en el centro. La abstinencia con
                supervisión médica, o desintoxicación, ayuda en los primeros días después de dejar de
                consumir. Un buen programa le evaluará y le recomendará el nivel de atención que se ajuste a
                sus necesidades, no simplemente el que vende [1].</p>
                <p>Ningún tratamiento sirve para todo el mundo, y seguir en tratamiento el tiempo
                suficiente es importante [2].</p>"""
            ),
        ),
        ("heading", "Señales de calidad"),
        (
            "paragraph",
            t(
                """<p>SAMHSA aconseja buscar programas que [1]:</p>
                <ul>
                <li>tengan <strong>licencia</strong> del estado y estén <strong>acreditados</strong> por
                un organismo independiente, como la Joint Commission o CARF;</li>
                <li>ofrezcan <strong>medicamentos</strong> aprobados para los trastornos por consumo de
                alcohol y de opioides, o le ayuden a seguir tomando los que ya usa;</li>
                <li>usen <strong>terapias basadas en pruebas</strong>, como la terapia cognitivo-conductual
                y la entrevista motivacional;</li>
                <li>incluyan a su <strong>familia</strong> cuando usted lo desee;</li>
                <li>den <strong>apoyo continuo</strong> después del programa principal, como visitas
                ambulatorias, apoyo para la recuperación y ayuda con la vivienda o el trabajo.</li>
                </ul>"""
            ),
        ),
        ("heading", "Preguntas que hacer"),
        (
            "paragraph",
            t(
                """<ol>
                <li>¿Tienen licencia en este estado y están acreditados? ¿Por quién?</li>
                <li>¿Qué medicamentos ofrecen para el trastorno por consumo de alcohol o de opioides?</li>
                <li>¿Quiénes formarán mi equipo de atención? ¿Hay médicos, personal de enfermería y
                consejeros con licencia?</li>
                <li>¿Tratan al mismo tiempo problemas de salud mental como la depresión, la ansiedad o el
                trauma?</li>
                <li>¿Cómo deciden cuánto tiempo me quedo? ¿Qué pasa cuando me voy?</li>
                <li>¿Cuánto costará en total? ¿Qué cubre mi seguro y cuánto tendré que pagar yo?</li>
                <li>¿Cómo miden si a las personas les va bien después del tratamiento?</li>
                </ol>
                <p>El Navegador de Tratamiento para el Alcohol del NIAAA, una guía en inglés, ofrece una
                lista más larga de preguntas y explica cómo suenan las buenas respuestas [3].</p>"""
            ),
        ),
        ("heading", "Señales de alarma"),
        (
            "paragraph",
            t(
                """<p>Tenga cuidado con cualquier programa o persona que:</p>
                <ul>
                <li><strong>Le ofrezca algo a cambio de inscribirse</strong>, como viajes gratis, vivienda
                gratis, dinero o regalos. Pagar a personas o "reclutadores" para que envíen pacientes a un
                programa es un problema serio en este sector y puede ser ilegal.</li>
                <li>Prometa una cura, una tasa de éxito garantizada o resultados en un número fijo de
                días.</li>
                <li>Le presione para decidir en ese mismo momento, o le pida los datos de su seguro antes
                de responder a sus preguntas.</li>
                <li>No diga quién contestó el teléfono, o dé un nombre vago que no coincide con un centro
                con licencia.</li>
                <li>Desaconseje o rechace medicamentos como la buprenorfina, la metadona o la
                naltrexona.</li>
                <li>No pueda mostrar una licencia estatal ni explicar con claridad sus costos.</li>
                </ul>"""
            ),
        ),
        (
            "callout",
            t(
                """Nunca tiene que aceptar un tratamiento en la primera llamada. Tómese tiempo para revisar
                un programa, hablar con personas de confianza y comparar opciones. Si está en crisis, llame
                o envíe un mensaje de texto al 988. En una emergencia, llame al 911."""
            ),
        ),
        ("heading", "Sobre los números de teléfono de este sitio"),
        (
            "paragraph",
            t(
                """<p>Creemos que usted debe saber con quién está hablando. Las llamadas a nuestras líneas
                de ayuda generales las contestan o devuelven proveedores de tratamiento participantes que se
                anuncian con nosotros. Todos pagan la misma tarifa fija, y usted oye el nombre del
                proveedor antes de que se le conecte. Un número que aparece en la ficha de un centro llama
                solo a ese centro. Lea nuestra
                <a href="/es/politica-de-publicidad-y-enrutamiento/">política de publicidad y de enrutamiento de
                llamadas</a> para conocer los detalles.</p>"""
            ),
        ),
        ("heading", "Lugares gratuitos y neutrales para buscar"),
        (
            "paragraph",
            t(
                """<ul>
                <li><a href="https://findtreatment.gov/">FindTreatment.gov</a>, el directorio federal de
                centros de tratamiento con licencia, que puede filtrar por servicios, forma de pago e
                idioma.</li>
                <li>La Línea Nacional de Ayuda de SAMHSA, gratuita, en el 1-800-662-4357, abierta todo el
                día, todos los días, en inglés y en español [4].</li>
                <li>El Navegador de Tratamiento para el Alcohol del NIAAA, para conocer las opciones de
                tratamiento del alcohol [3].</li>
                <li>Su médico, la línea de atención a los afiliados de su plan de salud o la agencia de su
                estado encargada del consumo de sustancias.</li>
                </ul>"""
            ),
        ),
    ],
    "citations": [dict(citation) for citation in CHOOSING_PROGRAM["citations"]],
    "author": CHOOSING_PROGRAM["author"],
    "reviewer": CHOOSING_PROGRAM["reviewer"],
    "last_reviewed": CHOOSING_PROGRAM["last_reviewed"],
}
