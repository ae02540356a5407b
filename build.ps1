# Entry point on PowerShell: ./build.ps1 <Target> [--pipeline NAME] [--profile smoke|default|paper] [--force] [--device auto|cpu|cuda]
# The libstdc++ prerequisite (TorchSharp 0.107 needs GLIBCXX_3.4.32) is a Linux matter: on Linux this
# script runs build/ensure-prereqs.sh through bash first.
param([string]$Target = "Test", [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest)
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = "1"; $env:DOTNET_NOLOGO = "1"
$cakeArgs = @()
for ($i = 0; $i -lt $Rest.Count; $i++) {
  $a = $Rest[$i]
  if ($a -like "--*=*" -or $a -eq "--force" -or $a -eq "--showtree" -or $a -eq "--dryrun") { $cakeArgs += $a }
  elseif ($a -like "--*" -and ($i + 1) -lt $Rest.Count -and -not ($Rest[$i + 1] -like "--*")) { $cakeArgs += "$a=$($Rest[$i + 1])"; $i++ }
  else { $cakeArgs += $a }
}
if ($IsLinux -and $Target -ne "Targets" -and $Target -ne "Clean") { bash build/ensure-prereqs.sh; if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE } }
dotnet tool restore | Out-Null
dotnet cake build/build.cake --target=$Target @cakeArgs
exit $LASTEXITCODE
