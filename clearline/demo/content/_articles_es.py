"""Spanish translations of the English heroin articles: our own writing, translated by us."""

from clearline.demo.content._articles_heroin import FAMILY_HEROIN, HEROIN_DETOX, SELF_MEDICATING
from clearline.demo.content._text import t

AUTOMEDICARSE = {
    "slug": "automedicarse-con-heroina",
    "topic": "heroin",
    "locale": "es",
    "translation_of": "self-medicating-with-heroin",
    "title": "Usar heroína para sobrellevar el malestar: automedicación y salud mental",
    "summary": t(
        """Por qué algunas personas usan heroína para calmar la depresión, la ansiedad o un trauma, por qué
        empeora las cosas y dónde encontrar ayuda."""
    ),
    "intro": t(
        """Muchas personas que consumen heroína empezaron porque parecía aliviar algo doloroso: una tristeza
        que no se iba, una preocupación constante o el recuerdo de un trauma. Si esto le resulta conocido,
        no es usted una persona débil ni mala. Intentaba sentirse mejor. En este artículo explicamos por
        qué la heroína deja de funcionar como forma de sobrellevar el malestar y dónde encontrar ayuda
        tanto para el dolor como para el consumo."""
    ),
    "body": [
        (
            "callout",
            t(
                """Si piensa en el suicidio o cree que puede estar en peligro ahora mismo, llame o envíe un
                mensaje de texto al 988, la Línea 988 de Prevención del Suicidio y Crisis, que también
                atiende en español. En una emergencia, llame al 911."""
            ),
        ),
        ("heading", "Qué significa automedicarse"),
        (
            "paragraph",
            t(
                """<p>"Automedicarse" significa usar alcohol u otras drogas para manejar emociones o
                síntomas que nadie ha diagnosticado ni tratado. Hay quien usa heroína para escapar del
                desánimo, calmar la ansiedad o los ataques de pánico, poder dormir, apagar los recuerdos
                intrusivos después de un trauma o adormecer un dolor físico.</p>
                <p>Los problemas de salud mental y los trastornos por consumo de sustancias suelen
                aparecer juntos. Los médicos lo llaman <em>trastornos concurrentes</em>. Los
                investigadores creen que hay varias razones: ambos comparten factores de riesgo, como el
                estrés y el trauma; una enfermedad mental puede llevar a consumir drogas para sentirse
                mejor; y, a su vez, el consumo puede cambiar el cerebro de forma que la enfermedad mental
                sea más probable o más grave [1].</p>"""
            ),
        ),
        ("heading", "Por qué al principio parece ayudar"),
        (
            "paragraph",
            t(
                """<p>La heroína es un opioide. Actúa sobre los receptores opioides del cerebro, que
                intervienen en el dolor, el placer y la respiración [2]. Poco después de consumirla, muchas
                personas sienten una oleada de calor y alivio, y luego varias horas de somnolencia. Para
                alguien que vive con un malestar constante, ese alivio puede parecer el primer respiro en
                mucho tiempo. Justamente por eso cuesta tanto dejarla.</p>"""
            ),
        ),
        ("heading", "Por qué con el tiempo empeora las cosas"),
        (
            "paragraph",
            t(
                """<p>El alivio no dura, y el precio aumenta:</p>
                <ul>
                <li><strong>Tolerancia.</strong> El cerebro se adapta y la misma cantidad hace menos
                efecto. Muchas veces se necesita más heroína para sentir lo mismo, y eso aumenta el riesgo
                de sobredosis [2].</li>
                <li><strong>La abstinencia alimenta la ansiedad y el bajo estado de ánimo.</strong> Entre
                una dosis y otra, el cuerpo entra en abstinencia. Son frecuentes la inquietud, la
                ansiedad, el mal dormir, los dolores y un ánimo bajo y pesado [2]. Se parecen mucho a los
                problemas que la heroína debía resolver, así que puede dar la impresión de que solo más
                heroína ayuda. Este círculo puede ocultar el problema de fondo y hacerlo más difícil de
                tratar.</li>
                <li><strong>El riesgo de sobredosis es mayor que nunca.</strong> Gran parte de la droga
                que circula hoy está mezclada con fentanilo, un opioide sintético mucho más potente que la
                heroína. No se puede ver, oler ni saborear, y una cantidad pequeña puede detener la
                respiración [3]. Consumir a solas, o mezclar la heroína con alcohol, pastillas para dormir
                o benzodiacepinas, aumenta todavía más el peligro [2].</li>
                <li><strong>Aislamiento.</strong> Con el tiempo, conseguir y consumir heroína puede
                desplazar a los amigos, la familia, el trabajo y las actividades que antes ayudaban. La
                soledad y la vergüenza pueden agravar la depresión y la ansiedad.</li>
                </ul>"""
            ),
        ),
        ("heading", "Tratar ambos problemas a la vez da mejores resultados"),
        (
            "paragraph",
            t(
                """<p>Los expertos recomiendan el <strong>tratamiento integrado</strong>: una atención que
                se ocupa a la vez de la salud mental y del consumo de sustancias, idealmente con un solo
                equipo y un solo plan, en lugar de exigir que se resuelva un problema antes de ayudar con
                el otro [4]. Esperar a "estar limpio" para tratar la depresión o el trauma suele ponerle
                las cosas más difíciles a la persona.</p>
                <p>La atención integrada puede incluir:</p>
                <ul>
                <li><strong>Medicamentos para el trastorno por consumo de opioides.</strong> La metadona,
                la buprenorfina y la naltrexona reducen el deseo intenso de consumir y la abstinencia. La
                metadona y la buprenorfina, además, disminuyen el riesgo de morir por sobredosis [5]. Se
                pueden combinar de forma segura con el tratamiento de salud mental.</li>
                <li><strong>Tratamiento del problema de salud mental.</strong> Puede ser terapia,
                medicamentos para la depresión o la ansiedad, o ambas cosas, indicados por un profesional
                que conozca su consumo de opioides.</li>
                <li><strong>Terapia informada sobre el trauma.</strong> Si el trauma forma parte de su
                historia, busque profesionales con formación para ayudar a personas con trauma y TEPT, a un
                ritmo en el que se sienta seguro o segura.</li>
                <li><strong>Apoyo práctico.</strong> La ayuda con la vivienda, el trabajo y la
                reconstrucción de las relaciones favorece la recuperación de ambos trastornos [4].</li>
                </ul>"""
            ),
        ),
        ("heading", "Preguntas para hacerle a un programa"),
        (
            "paragraph",
            t(
                """<ul>
                <li>¿Tratan juntos los problemas de salud mental y el consumo de sustancias?</li>
                <li>¿Ofrecen metadona o buprenorfina, o me ayudan a seguir tomándolas?</li>
                <li>¿Hay en el equipo un psiquiatra, una enfermera especializada en psiquiatría u otro
                profesional que pueda recetar?</li>
                <li>¿Sus terapeutas tienen formación en trauma?</li>
                </ul>"""
            ),
        ),
        ("heading", "Dónde conseguir ayuda"),
        (
            "paragraph",
            t(
                """<ul>
                <li><strong>Línea 988 de Prevención del Suicidio y Crisis:</strong> llame o envíe un
                mensaje de texto al 988, a cualquier hora, si está en crisis emocional o piensa en el
                suicidio [6].</li>
                <li><strong>Línea Nacional de Ayuda de SAMHSA:</strong> 1-800-662-4357. Es gratuita,
                confidencial y atiende todos los días a todas horas. Puede orientarle hacia tratamiento y
                apoyo en su zona, en inglés y en español [7].</li>
                <li><strong><a href="https://findtreatment.gov/">FindTreatment.gov</a>:</strong> el
                buscador del gobierno federal de centros de tratamiento con licencia. Puede filtrar por
                programas que tratan trastornos concurrentes y ofrecen medicamentos.</li>
                <li><strong>Su médico o un centro de salud comunitario:</strong> muchos pueden recetar
                buprenorfina y tratar la depresión o la ansiedad.</li>
                </ul>
                <p>Llamar a cualquiera de estos servicios no le compromete a nada. Puede hacer preguntas,
                conocer sus opciones y decidir más adelante.</p>"""
            ),
        ),
        (
            "callout",
            t(
                """Si sigue consumiendo mientras busca atención, procure no hacerlo a solas, lleve naloxona
                consigo y dígale a alguien de confianza dónde está. Si alguien no despierta o no respira
                bien, dele naloxona si la tiene. En una emergencia, llame al 911."""
            ),
        ),
    ],
    "citations": [dict(citation) for citation in SELF_MEDICATING["citations"]],
    "author": SELF_MEDICATING["author"],
    "reviewer": SELF_MEDICATING["reviewer"],
    "last_reviewed": SELF_MEDICATING["last_reviewed"],
}

HEROIN_DETOX_ES = {
    "slug": "abstinencia-y-desintoxicacion-de-heroina",
    "topic": "heroin",
    "locale": "es",
    "translation_of": "heroin-withdrawal-and-detox",
    "title": "Abstinencia y desintoxicación de heroína: qué esperar",
    "summary": t(
        """Cómo se siente la abstinencia de heroína, cuánto dura, por qué es más segura con supervisión
        médica y por qué la desintoxicación es solo el primer paso."""
    ),
    "intro": t(
        """Dejar la heroína es una decisión valiente, y la abstinencia suele ser lo que más miedo da. Saber
        qué esperar y contar con apoyo médico puede hacer que esta etapa sea más segura y llevadera. También
        ayuda saber que la desintoxicación es un comienzo, no todo el tratamiento."""
    ),
    "body": [
        ("heading", "Por qué aparece la abstinencia"),
        (
            "paragraph",
            t(
                """<p>Cuando una persona consume heroína con regularidad, el cuerpo se acostumbra a tener
                opioides todo el tiempo. Esto se llama dependencia física. Si la persona deja de consumir o
                reduce mucho la cantidad, el cuerpo necesita tiempo para reajustarse, y eso produce los
                síntomas que llamamos abstinencia [1]. La dependencia es una respuesta normal del cuerpo a
                la droga. No es una señal de debilidad.</p>"""
            ),
        ),
        ("heading", "Síntomas frecuentes"),
        (
            "paragraph",
            t(
                """<p>La heroína sale del cuerpo con bastante rapidez, por lo que la abstinencia suele
                empezar unas doce horas después de la última dosis [1]. Los primeros síntomas suelen
                ser:</p>
                <ul>
                <li>ansiedad, inquietud y dificultad para dormir;</li>
                <li>dolores musculares;</li>
                <li>goteo nasal, ojos llorosos, sudor y bostezos.</li>
                </ul>
                <p>Más adelante son comunes los cólicos, la diarrea, las náuseas y los vómitos, la piel de
                gallina y las pupilas dilatadas [1]. Las ganas intensas de consumir pueden aparecer en
                cualquier momento.</p>"""
            ),
        ),
        ("heading", "Cuánto dura"),
        (
            "paragraph",
            t(
                """<p>Para la mayoría de las personas, los peores síntomas físicos llegan en los primeros
                días y luego se van calmando poco a poco a lo largo de una semana. Algunas personas se
                sienten cansadas, decaídas, ansiosas o sin poder dormir bien durante semanas o más, y las
                ganas de consumir pueden volver cuando menos se esperan. Cada persona es distinta. Cuánto
                tiempo consumió, qué cantidad, su estado de salud y si la droga contenía fentanilo pueden
                cambiar la experiencia.</p>"""
            ),
        ),
        ("heading", "¿Es peligrosa la abstinencia de heroína?"),
        (
            "paragraph",
            t(
                """<p>La abstinencia de opioides es muy desagradable, pero en un adulto sano no suele poner
                la vida en peligro por sí misma. Aun así, puede hacer daño. Los vómitos y la diarrea pueden
                causar deshidratación, que es más grave en personas embarazadas, mayores o con problemas del
                corazón u otras enfermedades. Una persona embarazada no debe pasar por la abstinencia sin
                atención médica.</p>
                <p>El mayor peligro llega <em>después</em> de la abstinencia. Unos pocos días sin opioides
                bastan para que baje la tolerancia. Si la persona vuelve a consumir la cantidad de antes,
                puede sufrir una sobredosis mortal [2]. Este riesgo es aún mayor ahora que el fentanilo es
                frecuente en la droga que se vende en la calle.</p>"""
            ),
        ),
        (
            "callout",
            t(
                """Después de cualquier pausa en el consumo de opioides, como una desintoxicación, una
                hospitalización o un tiempo en la cárcel, su cuerpo ya no tolera la cantidad que consumía
                antes. Tenga naloxona a mano y no consuma a solas. Si alguien no respira o no despierta,
                dele naloxona y, en una emergencia, llame al 911."""
            ),
        ),
        ("heading", "Por qué importa la supervisión médica"),
        (
            "paragraph",
            t(
                """<p>Intentar dejarlo "de golpe" en casa es difícil, y muchas personas vuelven a consumir
                solo para que paren los síntomas. En un programa con supervisión médica, el equipo de
                atención puede:</p>
                <ul>
                <li>revisar su salud, incluidos el corazón, el hígado y la salud mental, y vigilar que no
                se deshidrate;</li>
                <li>usar medicamentos como la buprenorfina o la metadona para aliviar la abstinencia y las
                ganas de consumir [2];</li>
                <li>ofrecer medicamentos que no son opioides para los síntomas. La lofexidina, por ejemplo,
                está aprobada por la FDA para aliviar los síntomas de abstinencia de opioides en adultos
                [3];</li>
                <li>ayudar con el sueño, las náuseas, la diarrea y el dolor;</li>
                <li>planear con usted los siguientes pasos del tratamiento antes de que se vaya.</li>
                </ul>
                <p>La abstinencia supervisada puede hacerse en un hospital, en una unidad de
                desintoxicación con internamiento o, para algunas personas, de forma ambulatoria con
                controles diarios. Un profesional clínico puede ayudarle a decidir qué opción es más segura
                para usted.</p>"""
            ),
        ),
        ("heading", "La desintoxicación es un primer paso, no una cura"),
        (
            "paragraph",
            t(
                """<p>Superar la abstinencia no trata por sí solo el trastorno por consumo de opioides. Las
                investigaciones muestran que la desintoxicación sola rara vez lleva a una recuperación
                duradera [4]. Lo que más ayuda es pasar directamente a un tratamiento continuo. Para muchas
                personas eso significa seguir con un medicamento como la buprenorfina o la metadona, o
                empezar con naltrexona cuando ya no queden opioides en el cuerpo, junto con terapia y
                apoyo [2].</p>
                <p>Algunas personas eligen empezar con buprenorfina o metadona <em>en lugar de</em> pasar
                por la abstinencia completa. Es una opción válida, respaldada por pruebas sólidas, y vale
                la pena preguntar por ella.</p>"""
            ),
        ),
        ("heading", "Preguntas para hacerle a un programa de desintoxicación"),
        (
            "paragraph",
            t(
                """<ul>
                <li>¿Hay un médico o una enfermera especializada en el equipo, y hay personal de
                enfermería a todas horas?</li>
                <li>¿Qué medicamentos usan para la abstinencia? ¿Ofrecen buprenorfina o metadona?</li>
                <li>¿Qué pasa después de la desintoxicación? ¿Me ayudarán a empezar un tratamiento
                continuo enseguida?</li>
                <li>¿Entregan naloxona a las personas cuando se van?</li>
                <li>¿El programa tiene licencia del estado? ¿Cuánto costará y qué cubre mi seguro?</li>
                </ul>"""
            ),
        ),
        ("heading", "Cómo empezar"),
        (
            "paragraph",
            t(
                """<p>La Línea Nacional de Ayuda de SAMHSA, gratuita, en el 1-800-662-4357, puede ayudarle
                a encontrar programas de desintoxicación y tratamiento cerca de usted, incluidos los que
                ofrecen medicamentos [5]. También puede buscar en
                <a href="https://findtreatment.gov/">FindTreatment.gov</a>. Pedir información nunca le
                obliga a entrar en un programa.</p>"""
            ),
        ),
    ],
    "citations": [dict(citation) for citation in HEROIN_DETOX["citations"]],
    "author": HEROIN_DETOX["author"],
    "reviewer": HEROIN_DETOX["reviewer"],
    "last_reviewed": HEROIN_DETOX["last_reviewed"],
}

FAMILY_HEROIN_ES = {
    "slug": "ayudar-a-un-familiar-que-consume-heroina",
    "topic": "heroin",
    "locale": "es",
    "translation_of": "helping-a-family-member-who-uses-heroin",
    "title": "Cómo ayudar a un familiar que consume heroína",
    "summary": t(
        """Pasos prácticos y afectuosos para las familias: cómo hablar, cómo prevenir una sobredosis, cómo
        apoyar el tratamiento y cómo cuidarse."""
    ),
    "intro": t(
        """Ver a un ser querido consumir heroína da miedo y agota. Usted no puede controlar las decisiones
        de otra persona, pero lo que hace sí importa. La familia puede reducir el riesgo de sobredosis,
        mantener abierta la comunicación y hacer que sea más fácil aceptar un tratamiento."""
    ),
    "body": [
        ("heading", "Empiece por entender"),
        (
            "paragraph",
            t(
                """<p>El trastorno por consumo de opioides es una afección médica que cambia la forma en
                que el cerebro maneja la recompensa, el estrés y el autocontrol. Tiene tratamiento, y
                muchas personas se recuperan, a menudo después de más de un intento [1]. Verlo así puede
                ayudarle a responder con preocupación en lugar de con enojo, y eso hace más probable que
                su familiar siga hablando con usted.</p>"""
            ),
        ),
        ("heading", "Lo primero es que siga con vida"),
        (
            "paragraph",
            t(
                """<p>Ahora mismo, lo más importante es la seguridad. Como la droga que circula suele
                contener fentanilo, cualquier consumo puede terminar en una sobredosis.</p>
                <ul>
                <li><strong>Consiga naloxona y aprenda a usarla.</strong> La naloxona puede revertir una
                sobredosis de opioides. El aerosol nasal se vende sin receta en las farmacias, y muchos
                departamentos de salud la regalan [2]. Guárdela donde todas las personas de la casa sepan
                encontrarla.</li>
                <li><strong>Conozca las señales de una sobredosis:</strong> pupilas muy pequeñas,
                respiración lenta o detenida, ruidos como gorgoteos o ronquidos, labios y puntas de los
                dedos azulados o grises, y no despertar cuando se le grita o se le frota el esternón
                [2].</li>
                <li><strong>Anímele a no consumir nunca a solas.</strong> No es dar su aprobación. Es una
                manera de asegurarse de que alguien pueda ayudar.</li>
                </ul>"""
            ),
        ),
        (
            "callout",
            t(
                """Si alguien no respira o no despierta, dele naloxona enseguida. En una emergencia, llame
                al 911. Quédese con la persona hasta que llegue la ayuda."""
            ),
        ),
        ("heading", "Cómo hablar del tema"),
        (
            "paragraph",
            t(
                """<ul>
                <li>Elija un momento tranquilo, cuando su familiar no esté bajo los efectos de la droga ni
                en abstinencia, y usted no esté enojado.</li>
                <li>Hable desde lo que usted siente: "Me asusto cuando no vuelves a casa", en lugar de
                "Estás destrozando a esta familia".</li>
                <li>Diga con claridad lo que ha visto, y dígale que le importa.</li>
                <li>Escuche más de lo que habla. Pregúntele qué quiere para su vida.</li>
                <li>Cuente con que harán falta muchas conversaciones. Un "no" hoy no es un "no" para
                siempre.</li>
                </ul>
                <p>Las familias que aprenden a comunicarse de forma positiva y a reconocer cada paso en la
                buena dirección pueden ayudar a un ser querido a acercarse al tratamiento. Los consejeros
                familiares y los programas de apoyo pueden enseñar estas habilidades.</p>"""
            ),
        ),
        ("heading", "Apoye un tratamiento que funcione"),
        (
            "paragraph",
            t(
                """<p>Los medicamentos como la metadona y la buprenorfina están entre los tratamientos más
                eficaces para el trastorno por consumo de opioides, y reducen el riesgo de muerte [3].
                Algunas personas temen que estos medicamentos "cambien una droga por otra". No es así:
                tomados según la receta, estabilizan el cerebro, reducen las ganas de consumir y permiten
                trabajar, criar a los hijos y vivir. Apoyar el medicamento de su familiar es una de las
                cosas más útiles que puede hacer.</p>
                <p>Un buen tratamiento se adapta a la persona y suele durar meses o más [1]. Usted puede
                ayudar llevándole a las citas, ayudándole con los trámites o con el seguro, y diciéndole
                en voz alta los avances que nota.</p>"""
            ),
        ),
        ("heading", "Lo que no suele ayudar"),
        (
            "paragraph",
            t(
                """<ul>
                <li>Avergonzar, gritar o insultar.</li>
                <li>Esperar a que "toque fondo". Tocar fondo puede ser una sobredosis mortal.</li>
                <li>Tapar las consecuencias por su familiar, por ejemplo mintiéndole a su jefe. Poner
                límites claros y con calma no es lo mismo que castigar.</li>
                <li>Mandarle a un programa sin revisarlo antes. Algunos negocios se aprovechan de las
                familias preocupadas. Busque un programa con licencia que ofrezca medicamentos.</li>
                </ul>"""
            ),
        ),
        ("heading", "Cuídese usted también"),
        (
            "paragraph",
            t(
                """<p>Convivir con el consumo de otra persona causa mucho estrés. Su propia salud, su
                descanso y su apoyo también importan. Piense en un grupo de apoyo para familias, en terapia
                para usted o en hablar con su propio médico. Si hay niños en la casa, guarde bajo llave los
                medicamentos y las drogas, y asegúrese de que los niños sepan a qué adulto de confianza
                acudir.</p>"""
            ),
        ),
        ("heading", "Dónde conseguir ayuda"),
        (
            "paragraph",
            t(
                """<p>La Línea Nacional de Ayuda de SAMHSA, gratuita, en el 1-800-662-4357, atiende a los
                familiares además de a las personas que consumen. Puede orientarle hacia tratamiento,
                grupos de apoyo para familias y servicios de su zona [4]. Si usted o su familiar están en
                crisis o piensan en el suicidio, llame o envíe un mensaje de texto al 988. Pedir
                información nunca obliga a nadie a entrar en tratamiento.</p>"""
            ),
        ),
    ],
    "citations": [dict(citation) for citation in FAMILY_HEROIN["citations"]],
    "author": FAMILY_HEROIN["author"],
    "reviewer": FAMILY_HEROIN["reviewer"],
    "last_reviewed": FAMILY_HEROIN["last_reviewed"],
}
