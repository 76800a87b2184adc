-- Argo CD health of an Application, for the root Application `appenv` (../root-application.yaml): its
-- own health as Argo CD assessed it. Argo CD 1.8 dropped this check from its defaults, and without it an
-- Application counts as Healthy the moment it exists, so sync waves of Applications would not wait.
-- The check Argo CD's documentation gives for apps of apps.
local hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil and obj.status.health ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then
    hs.message = obj.status.health.message
  end
end
return hs
