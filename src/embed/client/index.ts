/** The widget's entry (`GET /embed.js`): defines `<glasshouse-voices>` once, however often the script is included. */
import { VoicesElement } from './voices-element'

if (!customElements.get('glasshouse-voices')) customElements.define('glasshouse-voices', VoicesElement)
