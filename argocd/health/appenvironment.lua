-- Argo CD health of platform.appenv.io/AppEnvironment, read from the status the appenv operator writes
-- (StatusAggregator: observedGeneration, phase, conditions Ready/Progressing/Degraded).
-- The one source of this check: argocd/kustomization.yaml generates the argocd-cm key from this file.
-- Order matters: a stale status says nothing about the current spec, and Degraded wins over Ready
-- because a rolled-back environment still serves (Ready=True) the previous release.
local hs = {}

local function condition(conditions, type)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function describe(c, fallback)
  if c == nil then
    return fallback
  end
  local text = c.message or fallback
  if c.reason ~= nil and c.reason ~= "" then
    text = c.reason .. ": " .. text
  end
  return text
end

local status = obj.status
if status == nil or status.conditions == nil or #status.conditions == 0 then
  hs.status = "Progressing"
  hs.message = "Waiting for the appenv operator to report a status"
  return hs
end

local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the appenv operator to observe generation " .. tostring(generation)
  return hs
end

local degraded = condition(status.conditions, "Degraded")
if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(degraded, "Degraded")
  return hs
end

local progressing = condition(status.conditions, "Progressing")
if progressing ~= nil and progressing.status == "True" then
  -- autoPromote: false: the release waits for a person's annotation, not for time
  if progressing.reason == "AwaitingPromotion" then
    hs.status = "Suspended"
  else
    hs.status = "Progressing"
  end
  hs.message = describe(progressing, "A release is in progress")
  return hs
end

local ready = condition(status.conditions, "Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or "Ready"
  return hs
end

hs.status = "Progressing"
hs.message = describe(ready, "Not ready yet")
return hs
