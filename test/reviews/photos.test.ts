/**
 * Review photos: checked by their bytes (not their names), metadata such as Exif GPS cut out
 * before they are stored in R2, served only while the review is published; oversize and
 * disguised files refused.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { imageTypeOf, stripMetadata } from '../../src/reviews/photos/image-metadata'
import { createSite, createTarget, type SiteFixture, unique } from '../helpers/factories'
import { call } from '../helpers/http'
import { inboundSecret, invite, order, postForm, reviewPath } from '../helpers/reviews'

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)))
const seg = (marker: number, payload: Uint8Array) => [
  0xff,
  marker,
  (payload.length + 2) >> 8,
  (payload.length + 2) & 0xff,
  ...payload,
]

/** A JPEG with a JFIF header, Exif with a GPS position, a comment, and a scan. */
const JPEG = bytes(
  [0xff, 0xd8],
  seg(0xe0, bytes('JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0])),
  seg(0xe1, bytes('Exif\0\0', 'GPSLatitude 35.6895N GPSLongitude 139.6917E')),
  seg(0xfe, bytes('taken at home')),
  seg(0xdb, bytes([0, ...Array.from({ length: 64 }, () => 1)])),
  seg(0xda, bytes([1, 1, 0, 0, 0x3f, 0])),
  [0x12, 0x34, 0x56, 0xff, 0x00, 0x78],
  [0xff, 0xd9],
)

const chunk = (type: string, data: Uint8Array) => {
  const len = [data.length >>> 24, (data.length >> 16) & 255, (data.length >> 8) & 255, data.length & 255]
  return [...len, ...new TextEncoder().encode(type), ...data, 0, 0, 0, 0]
}
const PNG = bytes(
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  chunk('IHDR', bytes([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])),
  chunk('tEXt', bytes('Comment\0GPS 35.6895N')),
  chunk('IDAT', bytes([1, 2, 3])),
  chunk('IEND', new Uint8Array(0)),
)

const text = (b: Uint8Array) => new TextDecoder('latin1').decode(b)

describe('image checks (pure)', () => {
  it('knows types by their first bytes, not their names', () => {
    expect(imageTypeOf(JPEG)).toBe('image/jpeg')
    expect(imageTypeOf(PNG)).toBe('image/png')
    expect(imageTypeOf(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp')
    expect(imageTypeOf(bytes('just some text, named photo.jpg'))).toBeNull()
    expect(imageTypeOf(bytes('GIF89a'))).toBeNull()
  })

  it('cuts Exif, comments and text chunks, keeping the image data', () => {
    const jpeg = stripMetadata(JPEG, 'image/jpeg')!
    expect(text(jpeg)).not.toContain('GPS')
    expect(text(jpeg)).not.toContain('taken at home')
    expect(text(jpeg)).toContain('JFIF')
    expect([...jpeg.slice(-8)]).toEqual([0x12, 0x34, 0x56, 0xff, 0x00, 0x78, 0xff, 0xd9])
    const png = stripMetadata(PNG, 'image/png')!
    expect(text(png)).not.toContain('GPS')
    expect(text(png)).toContain('IDAT')
    const exif = bytes('Exif\0\0GPS')
    const webp = bytes(
      'RIFF',
      [0, 0, 0, 0],
      'WEBP',
      'VP8X',
      [10, 0, 0, 0],
      [0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      'EXIF',
      [exif.length, 0, 0, 0],
      [...exif, 0],
      'VP8 ',
      [2, 0, 0, 0],
      [9, 9],
    )
    new DataView(webp.buffer).setUint32(4, webp.length - 8, true)
    const stripped = stripMetadata(webp, 'image/webp')!
    expect(text(stripped)).not.toContain('GPS')
    expect(stripped[20]! & 0x0c).toBe(0)
    expect(new DataView(stripped.buffer).getUint32(4, true)).toBe(stripped.length - 8)
  })

  it('refuses truncated images', () => {
    expect(stripMetadata(JPEG.slice(0, 30), 'image/jpeg')).toBeNull()
    expect(stripMetadata(PNG.slice(0, 40), 'image/png')).toBeNull()
  })
})

describe('photos on the review form', () => {
  let site: SiteFixture
  let secret: string
  let target: string
  beforeAll(async () => {
    site = await createSite()
    secret = await inboundSecret(site)
    target = (await createTarget(site, unique('cam'), 'Camera strap')).id
  })

  async function submit(files: File[], words = unique('photo review')) {
    const inv = await invite(site, secret, order([target]))
    const path = await reviewPath(inv.id)
    const form = new FormData()
    form.set('name', 'Pho')
    form.set('rating_0', '4')
    form.set('text_0', words)
    for (const f of files) form.append('photos_0', f)
    return { path, words, res: await call(path, { method: 'POST', body: form, redirect: 'manual' }) }
  }

  it('stores photos without their metadata and serves them while the review is published', async () => {
    const { path, words, res } = await submit([
      new File([JPEG], 'IMG_0001.JPG', { type: 'image/jpeg' }),
      new File([PNG], 'x.png', { type: 'image/png' }),
    ])
    expect(res.status, await res.clone().text()).toBe(303)
    const feed = await (
      await call(`/feeds/${site.slug}.json?target=${target}`)
    ).json<{
      items: { id: string; content_text: string; _glasshouse: { photos: { url: string; type: string }[] } }[]
    }>()
    const item = feed.items.find((i) => i.content_text === words)!
    expect(item._glasshouse.photos.map((p) => p.type)).toEqual(['image/jpeg', 'image/png'])
    const photo = await call(new URL(item._glasshouse.photos[0]!.url).pathname)
    expect(photo.status).toBe(200)
    expect(photo.headers.get('Content-Type')).toBe('image/jpeg')
    expect(photo.headers.get('X-Content-Type-Options')).toBe('nosniff')
    const served = new Uint8Array(await photo.arrayBuffer())
    expect(text(served)).not.toContain('GPS')
    expect(imageTypeOf(served)).toBe('image/jpeg')

    await postForm(`${path}/reviews/${item.id}/delete`, {})
    expect((await call(new URL(item._glasshouse.photos[0]!.url).pathname)).status).toBe(404)
    expect((await call(`/photos/${item.id}/7`)).status).toBe(404)
  })

  it('refuses a text file named .jpg, a fourth photo and a 20 MB photo, keeping the link open', async () => {
    const disguised = await submit([new File(['hello, I am text'], 'holiday.jpg', { type: 'image/jpeg' })])
    expect(disguised.res.status).toBe(400)
    expect(await disguised.res.text()).toContain('holiday.jpg is not a JPEG, PNG or WebP image')
    expect(await (await call(disguised.path)).text()).toContain('name="rating_0"')

    const four = await submit(Array.from({ length: 4 }, (_, i) => new File([JPEG], `${i}.jpg`)))
    expect(four.res.status).toBe(400)
    expect(await four.res.text()).toContain('at most 3 photos')

    const big = new Uint8Array(20 * 1024 * 1024)
    big.set(JPEG.slice(0, 4))
    const huge = await submit([new File([big], 'huge.jpg', { type: 'image/jpeg' })])
    expect(huge.res.status).toBe(413)
    expect(await (await call(huge.path)).text()).toContain('name="rating_0"')

    const six = new Uint8Array(6 * 1024 * 1024)
    six.set(JPEG)
    const tooBig = await submit([new File([six], 'six.jpg')])
    expect(tooBig.res.status).toBe(400)
    expect(await tooBig.res.text()).toContain('larger than 5 MB')
  })
})
