// Rackhouse admin page logic: talks only to this app's own /api on the same origin.

const $ = (selector) => document.querySelector(selector)

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (response.status === 204) return null
  const data = await response.json()
  if (!response.ok) throw new Error(data.error?.message ?? `HTTP ${response.status}`)
  return data
}

function showMessage(text, isError = false) {
  const box = $('#message')
  box.textContent = text
  box.classList.toggle('error', isError)
  box.hidden = false
}

function cell(text, className) {
  const td = document.createElement('td')
  td.textContent = text
  if (className) td.className = className
  return td
}

function removeButton(label, onClick) {
  const td = document.createElement('td')
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'danger'
  button.textContent = label
  button.addEventListener('click', () => onClick().then(refresh).catch((error) => showMessage(error.message, true)))
  td.append(button)
  return td
}

function usageBar(used, units) {
  const td = document.createElement('td')
  const bar = document.createElement('span')
  bar.className = used >= units ? 'bar full' : 'bar'
  const fill = document.createElement('span')
  fill.style.width = `${Math.round((used / units) * 100)}%`
  bar.append(fill)
  td.append(bar, `${used}/${units} U`)
  return td
}

function fillSelect(select, items, label) {
  const previous = select.value
  select.replaceChildren(...items.map((item) => new Option(label(item), item.id)))
  if (items.some((item) => item.id === previous)) select.value = previous
}

async function refresh() {
  const [summary, racks, servers, ips] = await Promise.all([
    api('GET', '/api/summary'),
    api('GET', '/api/racks'),
    api('GET', '/api/servers'),
    api('GET', '/api/ips'),
  ])
  $('#count-racks').textContent = summary.racks
  $('#count-servers').textContent = summary.servers
  $('#count-ips').textContent = summary.ips
  $('#count-free').textContent = summary.freeUnits

  const rackName = new Map(racks.map((rack) => [rack.id, rack.name]))
  const serverName = new Map(servers.map((server) => [server.id, server.hostname]))

  $('#racks').replaceChildren(...racks.map((rack) => {
    const tr = document.createElement('tr')
    tr.append(cell(rack.name), cell(rack.location), usageBar(rack.usedUnits, rack.units), cell(String(rack.serverCount), 'num'),
      removeButton('Remove', () => api('DELETE', `/api/racks/${encodeURIComponent(rack.id)}`)))
    return tr
  }))
  $('#servers').replaceChildren(...servers.map((server) => {
    const tr = document.createElement('tr')
    const units = server.height === 1 ? `U${server.position}` : `U${server.position}–U${server.position + server.height - 1}`
    tr.append(cell(server.hostname), cell(rackName.get(server.rackId) ?? '?'), cell(units, 'num'), cell(server.ips.join(', ')),
      removeButton('Remove', () => api('DELETE', `/api/servers/${encodeURIComponent(server.id)}`)))
    return tr
  }))
  $('#ips').replaceChildren(...ips.map((ip) => {
    const tr = document.createElement('tr')
    tr.append(cell(ip.address, 'num'), cell(serverName.get(ip.serverId) ?? '?'), cell(ip.note), cell(new Date(ip.assignedAt).toLocaleString()),
      removeButton('Release', () => api('DELETE', `/api/ips/${encodeURIComponent(ip.address)}`)))
    return tr
  }))
  fillSelect($('#rack-select'), racks, (rack) => rack.name)
  fillSelect($('#server-select'), servers, (server) => server.hostname)
}

function bindForm(selector, path, describe) {
  const form = $(selector)
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const body = Object.fromEntries([...new FormData(form)].filter(([, value]) => value !== ''))
    try {
      const created = await api('POST', path, body)
      form.reset()
      showMessage(describe(created))
      await refresh()
    } catch (error) {
      showMessage(error.message, true)
    }
  })
}

bindForm('#rack-form', '/api/racks', (rack) => `Rack ${rack.name} added.`)
bindForm('#server-form', '/api/servers', (server) => `${server.hostname} mounted at U${server.position}.`)
bindForm('#ip-form', '/api/ips', (ip) => `${ip.address} assigned.`)

$('#test-notification').addEventListener('click', () => {
  api('POST', '/api/notifications/test').then(
    () => showMessage('Test notification queued for your mail relay and webhooks.'),
    (error) => showMessage(error.message, true),
  )
})

api('GET', '/api/health').then((health) => { $('#version').textContent = `v${health.version}` }).catch(() => {})
refresh().catch((error) => showMessage(error.message, true))
