import { describe, expect, it } from 'vitest'

import { readCsvWindow } from '../../src/imports/formats/csv'
import { reviewColumns, reviewRow, type ReviewColumns } from '../../src/imports/formats/review-columns'

const rowsOf = (text: string) => readCsvWindow(text, 1000, true).rows

describe('reviews from another service, as CSV', () => {
  it('reads Judge.me’s review CSV: its columns, picture URLs and the columns it has that no field uses', () => {
    const [header = [], ...rows] = rowsOf(
      [
        'title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,product_handle,reply,reply_date,picture_urls,ip_address,location',
        'Great tee,"Soft, and it kept its shape.",5,2021-08-02 10:00:00 UTC,web,ok,Aiko,aiko@example.jp,7001,tshirt,,,"https://cdn.example/a.jpg,https://cdn.example/b.jpg",203.0.113.9,JP',
      ].join('\n'),
    )
    const columns = reviewColumns(header) as ReviewColumns
    expect(columns.source).toBe('judge.me')
    expect(columns.unused).toEqual(['source', 'curated', 'reply', 'reply_date', 'ip_address', 'location'])
    expect(reviewRow(rows[0] ?? [], columns)).toEqual({
      id: null,
      product: 'tshirt',
      products: ['tshirt', '7001'],
      handle: 'tshirt',
      rating: 5,
      title: 'Great tee',
      body: 'Soft, and it kept its shape.',
      authorName: 'Aiko',
      authorEmail: 'aiko@example.jp',
      date: '2021-08-02 10:00:00 UTC',
      verifiedPurchase: null,
      photoUrls: ['https://cdn.example/a.jpg', 'https://cdn.example/b.jpg'],
    })
  })

  it('reads Okendo’s import template and Glasshouse’s own columns, whatever their order and case', () => {
    const okendo = rowsOf(
      'productId,rating,name,body,dateCreated,email,imageUrls,countryCode\n8801,2,Ken,"色落ちしました。",2020-01-05,ken@example.jp,https://cdn.example/c.jpg,jp\n',
    )
    const columns = reviewColumns(okendo[0] ?? []) as ReviewColumns
    expect(columns.source).toBe('okendo')
    expect(reviewRow(okendo[1] ?? [], columns)).toMatchObject({
      product: '8801',
      rating: 2,
      authorName: 'Ken',
      body: '色落ちしました。',
      photoUrls: ['https://cdn.example/c.jpg'],
    })

    const ours = rowsOf(
      'ID,Product,Rating,Body,Verified_Purchase,Author_Name\nr1,https://shop.example/products/mug,4,Nice,yes,Mio\nr2,mug,3,Fine,no,\n',
    )
    const own = reviewColumns(ours[0] ?? []) as ReviewColumns
    expect(own.source).toBe('glasshouse')
    expect(reviewRow(ours[1] ?? [], own)).toMatchObject({ id: 'r1', verifiedPurchase: true, authorName: 'Mio' })
    expect(reviewRow(ours[2] ?? [], own)).toMatchObject({ id: 'r2', verifiedPurchase: false, authorName: null })
  })

  it('reads the reviews.csv of a Glasshouse export, so a shop’s reviews move from one hub to another', () => {
    const [header = [], row = [], neutralised = [], removed = []] = rowsOf(
      '\ufeffid,status,target_id,received_at,published_at,rating,title,body,author_name,verified_purchase,photos,answers,last_answer\r\n' +
        'v_1,published,tshirt,2024-01-02T03:04:05.000Z,2024-01-02T04:00:00.000Z,4,Good,Kept its shape,Aiko,true,https://hub.example/photos/p1.jpg,1,Thank you\r\n' +
        "v_2,published,tshirt,2024-01-03T00:00:00.000Z,2024-01-03T00:00:00.000Z,2,'-5 stars if I could,'=too small,'@ken,false,,0,\r\n" +
        'v_3,removed,tshirt,2024-01-04T00:00:00.000Z,,1,x,Personal data here,Bob,false,,0,\r\n',
    )
    const columns = reviewColumns(header) as ReviewColumns
    expect(columns.source).toBe('glasshouse')
    expect(reviewRow(row, columns)).toMatchObject({
      id: 'v_1',
      product: 'tshirt',
      rating: 4,
      date: '2024-01-02T04:00:00.000Z',
      verifiedPurchase: true,
      photoUrls: ['https://hub.example/photos/p1.jpg'],
    })
    // The export's apostrophe before a formula-like cell is taken off; a review that was not public stays out.
    expect(reviewRow(neutralised, columns)).toMatchObject({
      title: '-5 stars if I could',
      body: '=too small',
      authorName: '@ken',
    })
    expect(reviewRow(removed, columns)).toBe('not_published')
  })

  it('refuses a header without product, rating or body, and each row it cannot use with why', () => {
    expect(reviewColumns(['name', 'comment'])).toEqual({ missing: ['product', 'rating', 'body'] })
    const columns = reviewColumns(['product', 'rating', 'body']) as ReviewColumns
    expect(reviewRow(['', '5', 'x'], columns)).toBe('no_product')
    for (const rating of ['0', '6', '4.5', 'five', ''])
      expect(reviewRow(['p', rating, 'x'], columns)).toBe('rating_not_1_to_5')
    expect(reviewRow(['p', '5', '  '], columns)).toBe('no_body')
    // A formula is a review's words like any others: kept as text, never evaluated (exports neutralise it).
    expect(reviewRow(['p', '1', '=HYPERLINK("https://evil.example","click")'], columns)).toMatchObject({
      body: '=HYPERLINK("https://evil.example","click")',
    })
  })
})
