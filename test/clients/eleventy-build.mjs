#!/usr/bin/env node
/**
 * One Eleventy build's use of `@chrisburnell/eleventy-cache-webmentions`, in a process of its own
 * as each build is (the plugin and eleventy-fetch remember in memory what is on disk): reads the
 * options as JSON from argv[2] and the pages from the rest, and prints as JSON each page's
 * webmentions and the requests the plugin made (with how many entries each answer held).
 * Used by eleventy-webmentions.e2e.mjs.
 */
import { defaults, getWebmentions } from '@chrisburnell/eleventy-cache-webmentions'

const [options, ...pages] = [JSON.parse(process.argv[2] ?? '{}'), ...process.argv.slice(3)]

const asked = []
const realFetch = globalThis.fetch
globalThis.fetch = async (url, init) => {
  const res = await realFetch(url, init)
  const body = await res.clone().json()
  asked.push({ url: String(url), status: res.status, found: body.children?.length ?? 0 })
  return res
}

const byPage = {}
for (const page of pages) byPage[page] = await getWebmentions({ ...defaults, ...options }, page)
process.stdout.write(JSON.stringify({ byPage, asked }))
